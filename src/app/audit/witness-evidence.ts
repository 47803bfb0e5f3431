/**
 * What the witnesses the app knows hold against the audited node: each serves the evidence it kept
 * (GET /v1/witness/evidence). Only a fork proves something without trusting the witness: two checkpoints of
 * the same size with different roots, both signed by the node's log key. Other records (a checkpoint the witness
 * could not reconcile with a wrong proof, which anyone can send) are listed but prove nothing by themselves.
 * @module
 */
import type { LogKey } from '../../core/api/log-proof.ts';
import { equalBytes } from '../../core/bytes.ts';
import { parseCheckpoint } from '../../core/tlog/checkpoint.ts';
import { openNote, parseVerifierKey } from '../../core/tlog/note.ts';
import { type AuditCheck, failed } from './checks.ts';

/** The evidence records one witness serves, unverified. */
export interface WitnessEvidence {
  readonly witness: string;
  readonly records: readonly unknown[];
}

interface Signed {
  readonly size: number;
  readonly root: Uint8Array;
}

/** The checkpoint in `note` when the note is signed by `key` for its log, else undefined. */
function signedBy(note: unknown, key: LogKey): Signed | undefined {
  if (typeof note !== 'string') return undefined;
  try {
    const cp = parseCheckpoint(openNote(note, [parseVerifierKey(key.verifierKey)]).text);
    return cp.origin === key.origin ? cp : undefined;
  } catch {
    return undefined;
  }
}

const noteOf = (v: unknown): unknown =>
  typeof v === 'object' && v !== null ? (v as { note?: unknown }).note : undefined;

/** A failed witnesses check when a witness holds a proven fork of the node's log; undefined otherwise. */
export function checkWitnessEvidence(key: LogKey, held: readonly WitnessEvidence[]): AuditCheck | undefined {
  const forks: { witness: string; cosigned: unknown; offered: unknown }[] = [];
  for (const { witness, records } of held) {
    for (const r of records) {
      if (typeof r !== 'object' || r === null) continue;
      const { cosigned, offered } = r as { cosigned?: unknown; offered?: unknown };
      const a = signedBy(noteOf(cosigned), key);
      const b = signedBy(noteOf(offered), key);
      if (a && b && a.size === b.size && !equalBytes(a.root, b.root)) {
        forks.push({ witness, cosigned: noteOf(cosigned), offered: noteOf(offered) });
      }
    }
  }
  if (forks.length === 0) return undefined;
  const names = [...new Set(forks.map((f) => f.witness))].join(', ');
  const details = forks.map((f) => `${f.witness}: two checkpoints of one size, both signed by this node`);
  return failed(
    'witnesses',
    `${names} caught this node signing two different logs of the same size: a fork.`,
    { forks },
    details,
  );
}
