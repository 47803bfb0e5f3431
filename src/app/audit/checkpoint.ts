/**
 * The node's latest checkpoint, checked against the log key its identity binds: a C2SP signed note whose
 * signature by that key verifies, whose text is a checkpoint of that log's origin. What it says (size, root)
 * is then what the other checks hold the node to.
 * @module
 */
import type { LogKey } from '../../core/api/log-proof.ts';
import { toBase64 } from '../../core/bytes.ts';
import { parseCheckpoint } from '../../core/tlog/checkpoint.ts';
import { openNote, parseVerifierKey } from '../../core/tlog/note.ts';
import { type AuditCheck, failed, ok } from './checks.ts';
import type { NotedCheckpoint } from './consistency.ts';
import { problemOf } from './problem.ts';

const KIND = 'checkpoint';

export interface CheckpointResult {
  readonly check: AuditCheck;
  /** The checkpoint, when it verified. */
  readonly checkpoint?: NotedCheckpoint;
}

const refused = (reason: string, note: string, key: LogKey): CheckpointResult => ({
  check: failed(KIND, reason, { note, logKey: key.verifierKey }),
});

export function checkCheckpoint(note: string, key: LogKey): CheckpointResult {
  let text: string;
  try {
    const opened = openNote(note, [parseVerifierKey(key.verifierKey)]);
    text = opened.text;
  } catch (e) {
    const problem = problemOf(e);
    const why =
      problem.message.includes('no signature from a known key') || !problem.proven
        ? 'it is not signed by the log key this node’s identity names'
        : `its signature does not verify (${problem.message})`;
    return refused(`The node’s checkpoint cannot be trusted: ${why}.`, note, key);
  }
  let parsed: ReturnType<typeof parseCheckpoint>;
  try {
    parsed = parseCheckpoint(text);
  } catch (e) {
    return refused(`The node signed something that is not a checkpoint: ${problemOf(e).message}.`, note, key);
  }
  if (parsed.origin !== key.origin) {
    return refused(`The checkpoint is of another log (${parsed.origin}), not ${key.origin}.`, note, key);
  }
  const checkpoint = { origin: parsed.origin, size: parsed.size, root: parsed.root, note };
  const reason = `Checkpoint of ${parsed.size} entries, signed by the node’s log key (${key.origin}).`;
  return { check: ok(KIND, reason, [`root ${toBase64(parsed.root)}`]), checkpoint };
}
