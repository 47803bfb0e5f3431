/**
 * Bitcoin anchor rows of `npm run bench` (issue 12): what the app's Audit page spends to check a node's Birth
 * Record anchor SPV-style with src/core/anchor/: a whole proof against the trusted genesis, for an anchor block
 * right after it and one 1,000 blocks later (the proof then carries 1,000 headers), and the two parts, one
 * header's checks and a Merkle branch of a mainnet-sized block. The chain is the regtest test chain, mined here.
 * @module
 */
import { Transaction } from '@scure/btc-signer';
import { birthRecordHash } from '../src/core/anchor/birth-record.ts';
import { sha256d } from '../src/core/anchor/hash.ts';
import { checkHeaderChain, parseHeader } from '../src/core/anchor/header.ts';
import { merkleBranch, rootFromBranch } from '../src/core/anchor/merkle.ts';
import { networkRules } from '../src/core/anchor/networks.ts';
import { ANCHOR_KIND, anchorPayload, anchorScript } from '../src/core/anchor/payload.ts';
import { type AnchorProof, verifyAnchorProof } from '../src/core/anchor/proof.ts';
import { toHex, utf8 } from '../src/core/bytes.ts';
import { cidOf } from '../src/core/protocol/cbor.ts';
import { RegtestChain } from '../test/support/regtest/chain.ts';
import { REGTEST, regtestKey } from '../test/support/regtest/network.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

export interface AnchorRow {
  readonly op: string;
  /** Median µs per operation. */
  readonly us: number;
}

const DEPTH = 1000;
const BLOCK_TXS = 4000;

export const ANCHOR_NOTES = [
  'SPV rows: verifyAnchorProof of src/core/anchor/ (SHA-256 from @noble/hashes) on the regtest test chain ' +
    '(test/support/regtest/), trusted checkpoint = the regtest genesis; Node, one thread.',
  'A whole proof = parse and check the JSON, every header from the checkpoint (80 bytes, double SHA-256, compact ' +
    'target, proof of work, link), the transaction, its Merkle branch and the OP_RETURN payload.',
  `"per header" = parse + proof of work + link of one header, the cost a proof adds per block since the ` +
    'checkpoint (a proof from mainnet genesis would carry ~900,000 of them: a recent trusted block keeps it short).',
  `Merkle branch = the ${Math.ceil(Math.log2(BLOCK_TXS))} double SHA-256 of a transaction's branch in a block of ` +
    `${BLOCK_TXS} transactions (a full mainnet block).`,
];

const ANCHOR_OPS = [
  'SPV: verify an anchor proof (block 1 after the checkpoint)',
  `SPV: verify an anchor proof (block ${DEPTH} after the checkpoint)`,
  'SPV: one header (parse, proof of work, link)',
  `SPV: Merkle branch verification (${BLOCK_TXS}-transaction block)`,
] as const;

/** The proof of the anchor transaction `txid` mined in `chain`, headers from genesis. */
function proofOf(chain: RegtestChain, txid: string): AnchorProof {
  const at = chain.findTx(txid)!;
  const block = at.block!;
  return {
    txHex: toHex(at.raw),
    index: at.index,
    branch: merkleBranch(
      block.parsed.map((t) => t.txid),
      at.index,
    ).map((h) => toHex(h.slice().reverse())),
    header: toHex(block.headerBytes),
    height: block.height,
    headers: chain.blocks.slice(1, block.height).map((b) => toHex(b.headerBytes)),
  };
}

/** Mines a chain with a Birth Record anchor `depth` blocks after genesis; returns its proof and expectation. */
function anchoredChain(depth: number) {
  const chain = new RegtestChain();
  const key = regtestKey();
  const record = { identity: cidOf(utf8('bench identity')), origin: 'bench.example/log', key: new Uint8Array(32) };
  const expected = { kind: ANCHOR_KIND.birthRecord, hash: birthRecordHash(record) };
  chain.mine(depth - 1); // to the faucet, whose coinbases have matured by then
  const coin = chain.fund(key.address, 100_000n, false);
  const tx = new Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: key.script, amount: coin.value } });
  tx.addOutput({ script: anchorScript(anchorPayload(expected.kind, expected.hash)), amount: 0n });
  tx.addOutputAddress(key.address, coin.value - 1_000n, REGTEST);
  tx.sign(key.secretKey);
  tx.finalize();
  const txid = chain.submit(tx.extract());
  chain.mine(); // the funding and the anchor transactions, in block `depth`
  return { proof: proofOf(chain, txid), expected, chain };
}

export function anchorRows(options: MeasureOptions, only?: string): AnchorRow[] {
  const wanted = (op: string): boolean => only === undefined || op.includes(only);
  const rows: AnchorRow[] = [];
  if (!ANCHOR_OPS.some(wanted)) return rows;
  const [near, far, header, branch] = ANCHOR_OPS;
  const trust = { network: 'regtest' } as const;
  const deep = anchoredChain(DEPTH);
  if (wanted(near)) {
    // The same chain seen from the block before the anchor: a trusted checkpoint one block back.
    const p = deep.proof;
    const checkpoint = { height: p.height - 1, hash: deep.chain.blocks[p.height - 1]!.id };
    const short = { ...p, headers: [] };
    const op = () => verifyAnchorProof(short, deep.expected, { network: 'regtest', checkpoint });
    rows.push({ op: near, us: measureSideBySide({ op }, options).op });
  }
  if (wanted(far)) {
    if (deep.proof.headers.length !== DEPTH - 1) throw new Error(`anchor bench: ${deep.proof.headers.length} headers`);
    const op = () => verifyAnchorProof(deep.proof, deep.expected, trust);
    rows.push({ op: far, us: measureSideBySide({ op }, options).op });
  }
  if (wanted(header)) {
    const limit = networkRules('regtest').powLimit;
    const blocks = deep.chain.blocks;
    let i = 1;
    const op = () => {
      const b = blocks[1 + (i++ % (blocks.length - 1))]!;
      checkHeaderChain(blocks[b.height - 1]!.header.hash, [parseHeader(b.headerBytes)], limit);
    };
    rows.push({ op: header, us: measureSideBySide({ op }, options).op });
  }
  if (wanted(branch)) {
    const txids = Array.from({ length: BLOCK_TXS }, (_, i) => sha256d(utf8(`transaction ${i}`)));
    const proofs = Array.from({ length: 64 }, (_, k) => {
      const index = Math.floor((k * BLOCK_TXS) / 64);
      return { index, txid: txids[index]!, branch: merkleBranch(txids, index) };
    });
    let k = 0;
    const op = () => {
      const p = proofs[k++ % proofs.length]!;
      return rootFromBranch(p.txid, p.index, p.branch);
    };
    rows.push({ op: branch, us: measureSideBySide({ op }, options).op });
  }
  return rows;
}

export function printAnchorTable(rows: readonly AnchorRow[]): void {
  const width = Math.max('operation'.length, ...rows.map((r) => r.op.length));
  console.log(`${'operation'.padEnd(width)}  ${'µs'.padStart(8)}`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(8)}`);
  for (const r of rows) {
    console.log(`${r.op.padEnd(width)}  ${(r.us >= 100 ? r.us.toFixed(0) : r.us.toFixed(1)).padStart(8)}`);
  }
}
