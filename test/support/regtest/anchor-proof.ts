/**
 * Builds an AnchorProof for a mined transaction from an Esplora API, the way a client that trusts nothing it
 * fetches would: the proof is only data, and verifyAnchorProof decides. For tests of the SPV code and of the
 * app's Audit page against the test chain.
 * @module
 */
import type { AnchorProof } from '../../../src/core/anchor/proof.ts';

async function getText(base: string, path: string): Promise<string> {
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.text();
}

/** The proof for `txid` (which must be confirmed), with headers from `checkpointHeight` (default: genesis). */
export async function fetchAnchorProof(esploraUrl: string, txid: string, checkpointHeight = 0): Promise<AnchorProof> {
  const merkle = JSON.parse(await getText(esploraUrl, `/tx/${txid}/merkle-proof`));
  const headerAt = async (height: number): Promise<string> => {
    const hash = await getText(esploraUrl, `/block-height/${height}`);
    return getText(esploraUrl, `/block/${hash}/header`);
  };
  const headers: string[] = [];
  for (let h = checkpointHeight + 1; h < merkle.block_height; h++) headers.push(await headerAt(h));
  return {
    txHex: await getText(esploraUrl, `/tx/${txid}/hex`),
    index: merkle.pos,
    branch: merkle.merkle,
    header: await headerAt(merkle.block_height),
    height: merkle.block_height,
    headers,
  };
}
