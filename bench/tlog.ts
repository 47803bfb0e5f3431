/**
 * Transparency-log rows of `npm run bench` (issue 12): the pure library src/core/tlog/ on a tree of 2^20 (about
 * 1e6) leaves held as its stored hashes: what one append hashes, inclusion and consistency proof verification
 * (what the app's Audit page runs per envelope and per visit), and checkpoint note signing and opening (Ed25519).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { formatCheckpoint } from '../src/core/tlog/checkpoint.ts';
import {
  consistencyProof,
  type HashReader,
  inclusionProof,
  leafHash,
  nodeHash,
  storedHashesFor,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../src/core/tlog/merkle.ts';
import { ed25519Signer, ed25519VerifierKey, openNote, parseVerifierKey, signNote } from '../src/core/tlog/note.ts';
import { measureAsyncSideBySide } from './envelope-kem.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

export interface TlogRow {
  readonly op: string;
  /** Median µs per operation. */
  readonly us: number;
}

const LEAVES = 2 ** 20;

export const TLOG_NOTES = [
  `tlog rows: src/core/tlog/ (SHA-256 from @noble/hashes, Ed25519 from @noble/curves) on a tree of ${LEAVES} ` +
    'leaves held as stored hashes in memory; Node, one thread.',
  'append hashing = leafHash of a 40-byte entry + storedHashesFor (the stored hashes the append completes: ' +
    'two node hashes on average), cycling over the tree; no I/O.',
  'proof verification: the proofs are built once; each call verifies a proof for a different leaf or old size ' +
    '(inclusion: 20 hashes; consistency from sizes spread over the tree).',
  'note signing = signNote of a checkpoint text with the log key; opening = openNote with its verifier key ' +
    '(parse + Ed25519 verification).',
];

const TLOG_OPS = [
  'tlog: leaf append hashing (leaf hash + stored hashes)',
  `tlog: inclusion proof verification (tree of ${LEAVES})`,
  `tlog: consistency proof verification (to size ${LEAVES})`,
  'tlog: checkpoint note signing (Ed25519)',
  'tlog: checkpoint note opening (Ed25519 verification)',
] as const;

/** Every stored hash of a tree of `count` leaves, level by level (the Go tlog model, in arrays). */
function buildTree(count: number): { read: HashReader; entries: Uint8Array[] } {
  const entries = Array.from({ length: count }, (_, i) => new TextEncoder().encode(`entry ${i}`.padEnd(40, '.')));
  const levels: Uint8Array[][] = [entries.map(leafHash)];
  for (let below = levels[0]!; below.length > 1; ) {
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(up);
    below = up;
  }
  return { read: (level, n) => levels[level]![n]!, entries };
}

export async function tlogRows(options: MeasureOptions, only?: string): Promise<TlogRow[]> {
  const wanted = (op: string): boolean => only === undefined || op.includes(only);
  const rows: TlogRow[] = [];
  if (!TLOG_OPS.some(wanted)) return rows; // spare building the tree
  const { read, entries } = buildTree(LEAVES);
  const root = await treeHash(LEAVES, read);

  const [append, inclusion, consistency, sign, open] = TLOG_OPS;
  if (wanted(append)) {
    let i = 0;
    const next = async () => {
      const index = i++ % LEAVES;
      return storedHashesFor(index, leafHash(entries[index]!), read);
    };
    rows.push({ op: append, us: (await measureAsyncSideBySide({ op: next }, options)).op });
  }

  if (wanted(inclusion)) {
    const proofs = await Promise.all(
      Array.from({ length: 64 }, async (_, k) => {
        const index = Math.floor((k * LEAVES) / 64) + k;
        return { index, leaf: await read(0, index), proof: await inclusionProof(index, LEAVES, read) };
      }),
    );
    let k = 0;
    const verify = () => {
      const p = proofs[k++ % proofs.length]!;
      verifyInclusion(p.leaf, p.index, LEAVES, p.proof, root);
    };
    rows.push({ op: inclusion, us: measureSideBySide({ op: verify }, options).op });
  }

  if (wanted(consistency)) {
    const proofs = await Promise.all(
      Array.from({ length: 64 }, async (_, k) => {
        const size1 = Math.floor((k * LEAVES) / 64) + 2 * k + 1;
        return { size1, root1: await treeHash(size1, read), proof: await consistencyProof(size1, LEAVES, read) };
      }),
    );
    let k = 0;
    const verify = () => {
      const p = proofs[k++ % proofs.length]!;
      verifyConsistency(p.size1, LEAVES, p.proof, p.root1, root);
    };
    rows.push({ op: consistency, us: measureSideBySide({ op: verify }, options).op });
  }

  const seed = new Uint8Array(32).fill(1);
  const signer = ed25519Signer('bench.example/log', seed);
  const verifier = parseVerifierKey(ed25519VerifierKey('bench.example/log', ed25519.getPublicKey(seed)));
  const text = formatCheckpoint({ origin: 'bench.example/log', size: LEAVES, root, extensions: [] });
  if (wanted(sign)) rows.push({ op: sign, us: measureSideBySide({ op: () => signNote(text, [signer]) }, options).op });
  if (wanted(open)) {
    const note = signNote(text, [signer]);
    rows.push({ op: open, us: measureSideBySide({ op: () => openNote(note, [verifier]) }, options).op });
  }
  signer.wipe();
  return rows;
}

export function printTlogTable(rows: readonly TlogRow[]): void {
  const width = Math.max('operation'.length, ...rows.map((r) => r.op.length));
  console.log(`${'operation'.padEnd(width)}  ${'µs'.padStart(8)}`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(8)}`);
  for (const r of rows)
    console.log(`${r.op.padEnd(width)}  ${(r.us >= 100 ? r.us.toFixed(0) : r.us.toFixed(1)).padStart(8)}`);
}
