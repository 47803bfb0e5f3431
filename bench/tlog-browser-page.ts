/**
 * The page side of bench/tlog-browser.ts: what the app's Audit page verifies, timed in the browser on data the
 * bench built in Node (proofs of a tree of 2^20 leaves, a checkpoint note with one Ed25519 signature and two
 * cosignatures, regtest anchor proofs). Every input is first checked to verify, and an altered copy of each to
 * fail, so a figure never times a check that passes or fails for a reason other than the real one.
 * Exposes `window.dtaTlogBench` for Playwright.
 * @module
 */
import { type AnchorProof, type AnchorTrust, verifyAnchorProof } from '../src/core/anchor/proof.ts';
import { fromHex } from '../src/core/bytes.ts';
import { verifyConsistency, verifyInclusion } from '../src/core/tlog/merkle.ts';
import { type NoteVerifier, openNote, parseVerifierKey } from '../src/core/tlog/note.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

/** One inclusion proof: leaf hash, index and the proof's hashes (hex). */
export interface InclusionCase {
  readonly index: number;
  readonly leaf: string;
  readonly proof: readonly string[];
}

/** One consistency proof from `size1` (whose root is `root1`) to the bench tree's size. */
export interface ConsistencyCase {
  readonly size1: number;
  readonly root1: string;
  readonly proof: readonly string[];
}

/** An anchor proof and what it must commit to (kind and hash hex), against `trust`. */
export interface AnchorCase {
  readonly proof: AnchorProof;
  readonly kind: 1 | 2;
  readonly hash: string;
  readonly trust: AnchorTrust;
}

/** Proofs against one tree (each list timed when not empty). */
export interface TreeCases {
  readonly size: number;
  /** Root of the tree of `size` leaves (hex). */
  readonly root: string;
  readonly inclusion: readonly InclusionCase[];
  readonly consistency: readonly ConsistencyCase[];
}

/** A checkpoint note of a tree of `size` leaves and the verifier keys of every signature on it. */
export interface NoteCase {
  readonly size: number;
  readonly note: string;
  readonly verifierKeys: readonly string[];
}

/** What to time: only what is given. */
export interface BrowserBenchInput {
  readonly options: MeasureOptions;
  readonly tree?: TreeCases;
  readonly note?: NoteCase;
  /** Anchor proofs by the row they feed. */
  readonly anchors: Readonly<Record<string, AnchorCase>>;
}

export interface BrowserBenchResult {
  /** Median µs per operation, by the keys inclusion, consistency, note and each anchor key. */
  readonly us: Record<string, number>;
  readonly userAgent: string;
  /** Whether this page was cross-origin isolated (performance.now() at 5 µs instead of 100 µs resolution). */
  readonly isolated: boolean;
}

export interface TlogBench {
  run(input: BrowserBenchInput): Promise<BrowserBenchResult>;
}

declare global {
  interface Window {
    dtaTlogBench: TlogBench;
  }
}

/** Throws unless `check` throws: an altered input must be refused. */
function mustFail(what: string, check: () => unknown): void {
  try {
    check();
  } catch {
    return;
  }
  throw new Error(`tlog browser bench: ${what} was accepted`);
}

/** A copy of `bytes` with its first byte flipped. */
function altered(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[0]! ^= 1;
  return copy;
}

function timeInclusion(input: TreeCases, root: Uint8Array): () => void {
  const cases = input.inclusion.map((c) => ({ ...c, leaf: fromHex(c.leaf), proof: c.proof.map((h) => fromHex(h)) }));
  for (const c of cases) verifyInclusion(c.leaf, c.index, input.size, c.proof, root);
  const first = cases[0]!;
  mustFail('an altered inclusion proof', () =>
    verifyInclusion(first.leaf, first.index, input.size, [altered(first.proof[0]!), ...first.proof.slice(1)], root),
  );
  let k = 0;
  return () => {
    const c = cases[k++ % cases.length]!;
    verifyInclusion(c.leaf, c.index, input.size, c.proof, root);
  };
}

function timeConsistency(input: TreeCases, root: Uint8Array): () => void {
  const cases = input.consistency.map((c) => ({
    ...c,
    root1: fromHex(c.root1),
    proof: c.proof.map((h) => fromHex(h)),
  }));
  for (const c of cases) verifyConsistency(c.size1, input.size, c.proof, c.root1, root);
  const first = cases[0]!;
  mustFail('an altered consistency proof', () =>
    verifyConsistency(first.size1, input.size, first.proof, altered(first.root1), root),
  );
  let k = 0;
  return () => {
    const c = cases[k++ % cases.length]!;
    verifyConsistency(c.size1, input.size, c.proof, c.root1, root);
  };
}

function timeNote(input: NoteCase): () => void {
  const verifiers: NoteVerifier[] = input.verifierKeys.map(parseVerifierKey);
  const opened = openNote(input.note, verifiers);
  if (opened.verified.length !== verifiers.length || opened.unverified.length !== 0) {
    throw new Error(`tlog browser bench: ${opened.verified.length} of ${verifiers.length} note signatures verified`);
  }
  // The same signatures over another tree size must not verify.
  mustFail('a note with an altered size', () => openNote(input.note.replace(`\n${input.size}\n`, '\n1\n'), verifiers));
  return () => openNote(input.note, verifiers);
}

function timeAnchor(c: AnchorCase): () => void {
  const expected = { kind: c.kind, hash: fromHex(c.hash) };
  const got = verifyAnchorProof(c.proof, expected, c.trust);
  if (got.height !== c.proof.height) throw new Error(`tlog browser bench: anchor verified at height ${got.height}`);
  mustFail('an anchor proof of another hash', () =>
    verifyAnchorProof(c.proof, { ...expected, hash: altered(expected.hash) }, c.trust),
  );
  return () => verifyAnchorProof(c.proof, expected, c.trust);
}

async function run(input: BrowserBenchInput): Promise<BrowserBenchResult> {
  const status = document.getElementById('status')!;
  status.textContent = 'checking';
  const ops: Record<string, () => unknown> = {};
  const { tree, note } = input;
  if (tree && tree.inclusion.length > 0) ops['inclusion'] = timeInclusion(tree, fromHex(tree.root));
  if (tree && tree.consistency.length > 0) ops['consistency'] = timeConsistency(tree, fromHex(tree.root));
  if (note) ops['note'] = timeNote(note);
  for (const [key, c] of Object.entries(input.anchors)) ops[key] = timeAnchor(c);
  const us: Record<string, number> = {};
  for (const [key, op] of Object.entries(ops)) {
    status.textContent = `timing ${key}`;
    // Yield between rows so the page stays responsive to the driver.
    await new Promise((r) => setTimeout(r, 0));
    us[key] = measureSideBySide({ op }, input.options).op;
  }
  status.textContent = 'done';
  return { us, userAgent: navigator.userAgent, isolated: globalThis.crossOriginIsolated === true };
}

window.dtaTlogBench = { run };
document.getElementById('status')!.textContent = 'ready';
