/**
 * The `log` part of an order reply: the step's envelopes appended to the node's log (durably, with a checkpoint
 * signed over them) and their inclusion proofs against the latest signed checkpoint, which a client checks with
 * core/api/log-proof.ts before it believes the step was logged.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { LogReceipt } from '../../core/api/log-proof.ts';
import { toBase64 } from '../../core/bytes.ts';
import { logEntry } from '../../core/protocol/log-entry.ts';
import type { NodeLog } from './types.ts';

/** Appends the envelopes `cids` (once each) and proves them against the latest checkpoint. */
export async function logEnvelopes(log: NodeLog, cids: readonly CID[]): Promise<LogReceipt> {
  const { indices } = await log.append(cids.map((cid) => logEntry('envelope', cid)));
  // The latest checkpoint covers at least the batch's: a newer batch may have been signed meanwhile.
  const { checkpoint, note } = await log.latest();
  const entries = await Promise.all(
    cids.map(async (cid, i) => ({
      cid: cid.toString(),
      index: indices[i]!,
      proof: (await log.inclusionProof(indices[i]!, checkpoint.size)).map(toBase64),
    })),
  );
  return { checkpoint: note, entries };
}
