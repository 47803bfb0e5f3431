/**
 * Envelopes the node signs, created by a worker of the crypto pool (worker.ts) instead of the event loop: the
 * sealing (one X-Wing encapsulation per recipient) and the BLS signature are most of a reply's cost. The
 * initialisation crosses as DAG-CBOR, so CIDs in the content arrive as CIDs; the bytes come back, and their CID
 * is computed here from them.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { cidOf, encode } from '../../core/protocol/cbor.ts';
import type { EnvelopeInit } from '../../core/protocol/index.ts';
import type { CryptoPool } from './pool.ts';

/** An envelope as the node stores and sends it: its bytes and their CID. */
export interface SignedEnvelope {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

/** DAG-CBOR of `init` with only the fields it has (DAG-CBOR has no `undefined`). */
function initBytes(init: EnvelopeInit): Uint8Array {
  const recipients = (init.recipients ?? []).map((r) => (r.xwing ? { cid: r.cid, xwing: r.xwing } : { cid: r.cid }));
  const fields: Record<string, unknown> = { type: init.type, sender: init.sender, recipients, content: init.content };
  for (const key of ['previous', 'order', 'created', 'nonce', 'sealed'] as const) {
    if (init[key] !== undefined) fields[key] = init[key];
  }
  return encode(fields);
}

/** Creates the envelope `init` describes, signed with the node's key in a worker of `pool`. */
export async function createInPool(pool: CryptoPool, init: EnvelopeInit): Promise<SignedEnvelope> {
  const bytes = (await pool.run({ kind: 'envelope', init: initBytes(init) })) as Uint8Array;
  return { cid: cidOf(bytes), bytes };
}
