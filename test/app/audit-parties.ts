// The logs and witnesses of the Audit page's note tests (audit-notes.test.ts, audit-cosigned.test.ts): a node
// (north), two witnesses the app knows (south, east) and a stranger, each an Ed25519 key from a fixed seed.
import { ed25519 } from '@noble/curves/ed25519.js';
import type { KnownWitness } from '../../src/app/audit/witnesses.ts';
import type { LogKey } from '../../src/core/api/log-proof.ts';
import { ed25519VerifierKey } from '../../src/core/tlog/note.ts';

/** A log (or witness) key with its secret, to sign notes with. */
export interface Party {
  readonly secret: Uint8Array;
  readonly key: LogKey;
}

/** The party of `origin` whose secret is 32 bytes of `seed`. */
export function party(origin: string, seed: number): Party {
  const secret = new Uint8Array(32).fill(seed);
  const publicKey = ed25519.getPublicKey(secret);
  return { secret, key: { origin, publicKey, verifierKey: ed25519VerifierKey(origin, publicKey) } };
}

export const node = party('north.example/dta-log', 1);
export const south = party('south.example/dta-log', 2);
export const east = party('east.example/dta-log', 3);
export const stranger = party('stranger.example/log', 4);
/** The witnesses the app knows: south and east. */
export const witnesses: KnownWitness[] = [
  { name: 'fiduciary south', identity: 'bafy-south', url: 'http://127.0.0.1:1', key: south.key },
  { name: 'fiduciary east', identity: 'bafy-east', url: 'http://127.0.0.1:2', key: east.key },
];
