/**
 * Consistency with what this device saw last time: the node's latest checkpoint must extend the one kept for
 * it (same origin, not smaller, same root at the same size, and an RFC 9162 consistency proof — computed here
 * from the node's tiles, never taken from the node's word — from the old root to the new one). Anything else is
 * a fork or a rollback: the node shows this device a history that contradicts what it showed before, and the
 * two signed notes are the evidence.
 * @module
 */
import { toBase64 } from '../../core/bytes.ts';
import { consistencyProof, type HashReader, verifyConsistency } from '../../core/tlog/merkle.ts';
import { type AuditCheck, failed, ok, unknown } from './checks.ts';
import { problemOf } from './problem.ts';

/** A checkpoint as the checks read it: the log, its size and root, and the signed note it came in. */
export interface NotedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
}

const KIND = 'consistency';

function contradiction(reason: string, before: NotedCheckpoint, now: NotedCheckpoint, proof?: Uint8Array[]) {
  return failed(KIND, reason, {
    before: { size: before.size, root: toBase64(before.root), note: before.note },
    now: { size: now.size, root: toBase64(now.root), note: now.note },
    ...(proof ? { consistencyProof: proof.map(toBase64) } : {}),
  });
}

/** `before`: the checkpoint kept on this device (none the first time); `read`: the node's tree, from its tiles. */
export async function checkConsistency(
  before: NotedCheckpoint | undefined,
  now: NotedCheckpoint,
  read: HashReader,
): Promise<AuditCheck> {
  if (!before) {
    return ok(
      KIND,
      `This device sees this log for the first time: checkpoint ${now.size} is kept to compare next time.`,
    );
  }
  if (before.origin !== now.origin) {
    return contradiction(`The node now shows another log (${now.origin}) than before (${before.origin}).`, before, now);
  }
  if (now.size < before.size) {
    return contradiction(
      `The node went back: it shows ${now.size} entries, but showed this device ${before.size} before.`,
      before,
      now,
    );
  }
  let proof: Uint8Array[] = [];
  try {
    if (now.size > before.size) proof = await consistencyProof(before.size, now.size, read);
  } catch (e) {
    const problem = problemOf(e);
    if (problem.proven)
      return contradiction(`The node's tiles contradict its checkpoint: ${problem.message}`, before, now);
    return unknown(KIND, `Could not read the node's tiles to compare: ${problem.message}`);
  }
  try {
    verifyConsistency(before.size, now.size, proof, before.root, now.root);
  } catch {
    const reason =
      now.size === before.size
        ? `The node signed two different logs of the same size ${now.size}: a fork.`
        : `The node's log of ${now.size} entries does not extend the ${before.size} it showed this device before: a fork.`;
    return contradiction(reason, before, now, proof);
  }
  if (now.size === before.size) return ok(KIND, `The same log of ${now.size} entries this device saw last time.`);
  return ok(KIND, `The log grew from ${before.size} to ${now.size} entries without changing any earlier one.`);
}
