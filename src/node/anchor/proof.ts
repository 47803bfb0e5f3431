/**
 * The SPV proof of a mined anchor, gathered from Esplora and verified
 * (core/anchor's verifyAnchorProof, the check every client makes) before
 * the node keeps it: the transaction the node stored itself, its Merkle
 * branch, its block's header, every header from the trusted block up to it
 * and the headers of the blocks that confirm it. Esplora is only a source of
 * bytes here; one that lies about a branch or a header is caught by the
 * verification and the anchor stays unproven until an honest answer comes.
 * @module
 */
import { ANCHOR_KIND } from '../../core/anchor/payload.ts';
import { type AnchorProof, verifyAnchorProof } from '../../core/anchor/proof.ts';
import { fromHex } from '../../core/bytes.ts';
import type { AnchorSettings } from '../config.ts';
import type { EsploraClient } from './esplora.ts';
import type { AnchoredAt, AnchorRecord } from './store.ts';

/** Headers fetched at once while walking from the trusted block. */
const CONCURRENCY = 8;

class AnchorProofError extends Error {
  override name = 'AnchorProofError';
  readonly code = 'proof_mismatch';
}

/** The verified proof of `record` (state broadcast, mined); AnchorError when what Esplora gave does not verify. */
export async function provenAnchor(
  esplora: EsploraClient,
  record: AnchorRecord,
  settings: Pick<AnchorSettings, 'network' | 'trust' | 'confirmations'>,
): Promise<{ proof: AnchorProof; anchored: AnchoredAt }> {
  const branch = await esplora.merkleProof(record.txid!);
  const height = branch.blockHeight;
  const from = settings.trust?.height ?? 0;
  const tip = await esplora.tipHeight();
  const last = Math.min(tip, height + settings.confirmations - 1);
  const [headers, header, after] = await Promise.all([
    headersAt(esplora, from + 1, height - 1),
    headerAt(esplora, height),
    headersAt(esplora, height + 1, last),
  ]);
  const proof: AnchorProof = {
    txHex: record.txHex!,
    index: branch.pos,
    branch: branch.merkle,
    header,
    height,
    headers,
    ...(after.length > 0 ? { after } : {}),
  };
  const kind = record.kind === 'birth' ? ANCHOR_KIND.birthRecord : ANCHOR_KIND.checkpoint;
  const verified = verifyAnchorProof(
    proof,
    { kind, hash: fromHex(record.hash) },
    { network: settings.network, ...(settings.trust ? { checkpoint: settings.trust } : {}) },
  );
  if (verified.txid !== record.txid) throw new AnchorProofError(`the proof is of ${verified.txid}, not ${record.txid}`);
  return { proof, anchored: { height: verified.height, time: verified.time } };
}

async function headerAt(esplora: EsploraClient, height: number): Promise<string> {
  return esplora.header(await esplora.blockHashAt(height));
}

/** Headers of blocks `first..last` in order (none when last < first). */
async function headersAt(esplora: EsploraClient, first: number, last: number): Promise<string[]> {
  const out: string[] = [];
  for (let start = first; start <= last; start += CONCURRENCY) {
    const heights = Array.from({ length: Math.min(CONCURRENCY, last - start + 1) }, (_, i) => start + i);
    out.push(...(await Promise.all(heights.map((h) => headerAt(esplora, h)))));
  }
  return out;
}
