/**
 * Who witnessed the node's checkpoint: each cosignature line (C2SP tlog-cosignature v1) whose key is the log
 * key of a node this app knows is verified and shown by that node's name, with the time it signed. A line from
 * a known witness that does not verify fails the check (someone forged a witness); lines from keys the app does
 * not know are listed but prove nothing; no verified witness at all leaves the check not passed.
 * @module
 */
import type { LogKey } from '../../core/api/log-proof.ts';
import { cosignatureTime, cosignatureVerifier, cosignatureVerifierKey } from '../../core/tlog/cosignature.ts';
import { openNote, parseVerifierKey } from '../../core/tlog/note.ts';
import { formatTime } from '../ui/format.ts';
import { type AuditCheck, failed, ok, unknown } from './checks.ts';

/** A node the app knows, as a possible witness: its name and the log key its identity binds. */
export interface KnownWitness {
  readonly name: string;
  readonly identity: string;
  /** Where the app reaches it. */
  readonly url: string;
  readonly key: LogKey;
}

const KIND = 'witnesses';

export function checkWitnesses(note: string, key: LogKey, witnesses: readonly KnownWitness[]): AuditCheck {
  const logVerifier = parseVerifierKey(key.verifierKey);
  const { unverified } = openNote(note, [logVerifier]);
  const cosigned: string[] = [];
  const forged: { witness: string; key: string }[] = [];
  const matched = new Set<(typeof unverified)[number]>();
  for (const w of witnesses) {
    if (w.key.verifierKey === key.verifierKey) continue; // the node itself is no witness of its own log
    const verifier = cosignatureVerifier(w.key.origin, w.key.publicKey);
    const line = unverified.find((s) => s.name === verifier.name && s.keyId === verifier.keyId);
    if (!line) continue;
    matched.add(line);
    try {
      openNote(note, [logVerifier, verifier]);
      cosigned.push(`${w.name}: cosigned at ${formatTime(cosignatureTime(line) * 1000)}`);
    } catch {
      forged.push({ witness: w.name, key: cosignatureVerifierKey(w.key.origin, w.key.publicKey) });
    }
  }
  const strangers = unverified.filter((s) => !matched.has(s)).map((s) => `${s.name}: a key this app does not know`);
  const details = [...cosigned, ...forged.map((f) => `${f.witness}: the cosignature does not verify`), ...strangers];
  if (forged.length > 0) {
    const reason = `A cosignature in the name of ${forged.map((f) => f.witness).join(', ')} does not verify.`;
    return failed(KIND, reason, { note, witnesses: forged }, details);
  }
  if (cosigned.length === 0) {
    return { ...unknown(KIND, 'No node you know has cosigned this checkpoint yet.'), details };
  }
  return ok(KIND, `Cosigned by ${cosigned.length} node${cosigned.length > 1 ? 's' : ''} you know.`, details);
}
