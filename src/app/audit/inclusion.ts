/**
 * Every envelope of the person's orders with a node, proven included in the node's log: its index (from the
 * node's `/v1/log/entries/{cid}` or the order reply kept on this device), an RFC 9162 inclusion proof computed
 * here from the node's tiles, and the leaf hash computed here from the envelope itself, all leading to the root
 * of the checkpoint that verified. An envelope the log does not hold, or holds under another leaf, is a failed
 * check: the node answered an order it did not log.
 * @module
 */
import { toBase64 } from '../../core/bytes.ts';
import { type HashReader, inclusionProof, leafHash, verifyInclusion } from '../../core/tlog/merkle.ts';
import { type AuditCheck, failed, ok, unknown } from './checks.ts';
import type { NotedCheckpoint } from './consistency.ts';
import { problemOf } from './problem.ts';

/** One envelope to prove: its CID, the log entry it must be (bytes), and its index when already known. */
export interface EnvelopeEntry {
  readonly cid: string;
  readonly entry: Uint8Array;
  readonly index?: number;
}

/** The index of an envelope's entry in the node's log; undefined when the node says it has none. */
export type IndexOf = (cid: string) => Promise<number | undefined>;

type Outcome =
  | { readonly status: 'ok' }
  | { readonly status: 'later'; readonly index: number }
  | { readonly status: 'unknown'; readonly message: string }
  | { readonly status: 'failed'; readonly message: string; readonly evidence: Record<string, unknown> };

const KIND = 'inclusion';

async function proveOne(e: EnvelopeEntry, at: NotedCheckpoint, read: HashReader, indexOf: IndexOf): Promise<Outcome> {
  let index: number | undefined;
  try {
    index = e.index ?? (await indexOf(e.cid));
  } catch (err) {
    return { status: 'unknown', message: problemOf(err).message };
  }
  if (index === undefined) {
    return { status: 'failed', message: 'the node’s log has no entry for it', evidence: { cid: e.cid } };
  }
  if (index >= at.size) return { status: 'later', index };
  let proof: Uint8Array[] | undefined;
  try {
    proof = await inclusionProof(index, at.size, read);
    verifyInclusion(leafHash(e.entry), index, at.size, proof, at.root);
    return { status: 'ok' };
  } catch (err) {
    const problem = problemOf(err);
    if (!problem.proven) return { status: 'unknown', message: problem.message };
    const evidence = {
      cid: e.cid,
      entry: toBase64(e.entry),
      index,
      size: at.size,
      root: toBase64(at.root),
      ...(proof ? { inclusionProof: proof.map(toBase64) } : {}),
    };
    return { status: 'failed', message: `not at index ${index} of the log (${problem.message})`, evidence };
  }
}

/** Proves each envelope in turn against `at`, reporting progress as (done, total). */
export async function checkInclusion(
  envelopes: readonly EnvelopeEntry[],
  at: NotedCheckpoint,
  read: HashReader,
  indexOf: IndexOf,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<AuditCheck> {
  const lines: string[] = [];
  const missing: Record<string, unknown>[] = [];
  let proven = 0;
  let unsure = 0;
  for (const [i, e] of envelopes.entries()) {
    const outcome = await proveOne(e, at, read, indexOf);
    if (outcome.status === 'ok') proven++;
    else if (outcome.status === 'later') {
      unsure++;
      lines.push(`${e.cid}: at index ${outcome.index}, after this checkpoint (check again later)`);
    } else if (outcome.status === 'unknown') {
      unsure++;
      lines.push(`${e.cid}: could not be checked (${outcome.message})`);
    } else {
      missing.push(outcome.evidence);
      lines.push(`${e.cid}: ${outcome.message}`);
    }
    onProgress(i + 1, envelopes.length);
  }
  const total = envelopes.length;
  if (missing.length > 0) {
    const reason = `${missing.length} of your ${total} envelopes with this node are not in its log.`;
    return failed(KIND, reason, { checkpoint: at.note, envelopes: missing }, lines);
  }
  if (unsure > 0) return unknown(KIND, `${proven} of ${total} envelopes proven in the log; ${unsure} not yet.`);
  if (total === 0) return ok(KIND, 'You have no envelopes with this node on this device.');
  return ok(KIND, `All ${total} of your envelopes with this node are in its log.`);
}
