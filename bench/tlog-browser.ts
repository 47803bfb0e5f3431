/**
 * Browser rows of `npm run bench` (issue 12): what the app's Audit page verifies, timed in headless Debian
 * Chromium: inclusion and consistency proofs of a tree of 2^20 leaves, a checkpoint note with the log's Ed25519
 * signature and two witness cosignatures, and a Birth Record anchor proof SPV-style on the regtest test chain.
 * Node builds the inputs (the tree as stored hashes, the proofs, the note, a mined chain whose proofs are read
 * through the test chain's Esplora server); bench/tlog-browser-page.ts checks and times them in the page with
 * performance.now() (medians of batches, as bench/measure.ts). The page is a production vite build of
 * bench/tlog-browser.html served on 127.0.0.1 by vite's preview server, cross-origin isolated.
 * Run alone: `node bench/bench.ts --only browser`.
 * @module
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Transaction } from '@scure/btc-signer';
import { build, preview } from 'vite';
import { birthRecordHash } from '../src/core/anchor/birth-record.ts';
import { ANCHOR_KIND, anchorPayload, anchorScript } from '../src/core/anchor/payload.ts';
import { fromHex, toHex, utf8 } from '../src/core/bytes.ts';
import { cidOf } from '../src/core/protocol/cbor.ts';
import { formatCheckpoint } from '../src/core/tlog/checkpoint.ts';
import { cosignatureVerifierKey, cosigner } from '../src/core/tlog/cosignature.ts';
import {
  consistencyProof,
  HASH_SIZE,
  type HashReader,
  inclusionProof,
  leafHash,
  nodeHash,
  treeHash,
} from '../src/core/tlog/merkle.ts';
import { addSignatures, ed25519Signer, ed25519VerifierKey, signNote } from '../src/core/tlog/note.ts';
import { ROOT } from '../test/e2e/app-build.ts';
import { launchChromium, newAppContext } from '../test/e2e/browser.ts';
import { Cleanup, LIMITS, withTimeout } from '../test/e2e/limits.ts';
import { fetchAnchorProof } from '../test/support/regtest/anchor-proof.ts';
import { RegtestChain } from '../test/support/regtest/chain.ts';
import { startEsplora } from '../test/support/regtest/esplora.ts';
import { REGTEST, regtestKey } from '../test/support/regtest/network.ts';
import type { MeasureOptions } from './measure.ts';
import type { TlogRow } from './tlog.ts';
import type {
  AnchorCase,
  BrowserBenchInput,
  BrowserBenchResult,
  ConsistencyCase,
  InclusionCase,
  NoteCase,
  TreeCases,
} from './tlog-browser-page.ts';

const LEAVES = 2 ** 20;
const PROOFS = 64;
const DEPTH = 1000;
const PAGE = 'bench/tlog-browser.html';
const BUILD_MS = 120_000;
const SERVE_MS = 15_000;
const RUN_MS = 300_000;

export const TLOG_BROWSER_NOTES = [
  'browser rows: the same src/core/tlog/ and src/core/anchor/ code as the Node rows, bundled by vite (production ' +
    'build) and run on the main thread of headless Debian Chromium (playwright-core), cross-origin isolated; ' +
    'medians of batches timed with performance.now(), µs per operation; 2 cores shared with other work.',
  `inclusion: ${PROOFS} proofs (20 hashes each) of different leaves of a tree of ${LEAVES}; consistency: ` +
    `${PROOFS} proofs from old sizes spread over the tree to ${LEAVES}; built in Node from the stored hashes.`,
  'note opening = openNote of a checkpoint note with the log key (Ed25519) and two witnesses (cosignature/v1), ' +
    'all three signatures verified, verifier keys parsed once.',
  'SPV = verifyAnchorProof of a Birth Record anchor on the regtest test chain, its proof read through the test ' +
    `chain's Esplora server: from a trusted block right before the anchor, and from genesis (${DEPTH - 1} headers).`,
  'every input is checked once in the page before timing (and an altered copy refused).',
];

const OPS = {
  inclusion: `browser: tlog inclusion proof verification (tree of ${LEAVES})`,
  consistency: `browser: tlog consistency proof verification (to size ${LEAVES})`,
  note: 'browser: tlog checkpoint note opening (Ed25519 + 2 cosignatures)',
  anchorNear: 'browser: SPV verify an anchor proof (block 1 after the checkpoint)',
  anchorFar: `browser: SPV verify an anchor proof (block ${DEPTH} after the checkpoint)`,
} as const;

/** The stored hashes of a tree of `count` leaves, one flat array per level (the Go tlog model). */
function buildTree(count: number): HashReader {
  const levels: Uint8Array[] = [new Uint8Array(count * HASH_SIZE)];
  for (let i = 0; i < count; i++) {
    levels[0]!.set(leafHash(utf8(`entry ${i}`.padEnd(40, '.'))), i * HASH_SIZE);
  }
  const at = (level: Uint8Array, n: number) => level.subarray(n * HASH_SIZE, (n + 1) * HASH_SIZE);
  for (let width = count >> 1; width >= 1; width >>= 1) {
    const below = levels[levels.length - 1]!;
    const up = new Uint8Array(width * HASH_SIZE);
    for (let n = 0; n < width; n++) up.set(nodeHash(at(below, 2 * n), at(below, 2 * n + 1)), n * HASH_SIZE);
    levels.push(up);
  }
  return (level, n) => at(levels[level]!, n);
}

/** The proofs wanted (inclusion, consistency or both) against a tree of LEAVES leaves. */
async function treeInputs(withInclusion: boolean, withConsistency: boolean): Promise<TreeCases> {
  const read = buildTree(LEAVES);
  const hex = (proof: readonly Uint8Array[]) => proof.map((h) => toHex(h));
  const inclusion: InclusionCase[] = [];
  const consistency: ConsistencyCase[] = [];
  for (let k = 0; k < PROOFS; k++) {
    const index = Math.floor((k * LEAVES) / PROOFS) + k;
    const leaf = toHex(await read(0, index));
    if (withInclusion) inclusion.push({ index, leaf, proof: hex(await inclusionProof(index, LEAVES, read)) });
    const size1 = Math.floor((k * LEAVES) / PROOFS) + 2 * k + 1;
    const root1 = toHex(await treeHash(size1, read));
    if (withConsistency) consistency.push({ size1, root1, proof: hex(await consistencyProof(size1, LEAVES, read)) });
  }
  return { size: LEAVES, root: toHex(await treeHash(LEAVES, read)), inclusion, consistency };
}

/** A checkpoint of `root` signed by a log key and cosigned by two witnesses, with the three verifier keys. */
function noteInputs(root: Uint8Array): NoteCase {
  const origin = 'bench.example/log';
  const seeds = [1, 2, 3].map((b) => new Uint8Array(32).fill(b));
  const signer = ed25519Signer(origin, seeds[0]!);
  const witnesses = ['w1.example', 'w2.example'].map((name, i) => ({ name, key: cosigner(name, seeds[i + 1]!) }));
  try {
    const text = formatCheckpoint({ origin, size: LEAVES, root, extensions: [] });
    const time = Math.floor(Date.now() / 1000);
    const note = addSignatures(
      signNote(text, [signer]),
      witnesses.map((w) => w.key.cosign(text, time)),
    );
    const verifierKeys = [
      ed25519VerifierKey(origin, ed25519.getPublicKey(seeds[0]!)),
      ...witnesses.map((w, i) => cosignatureVerifierKey(w.name, ed25519.getPublicKey(seeds[i + 1]!))),
    ];
    return { size: LEAVES, note, verifierKeys };
  } finally {
    signer.wipe();
    for (const w of witnesses) w.key.wipe();
    for (const s of seeds) s.fill(0);
  }
}

/** Mines a chain with a Birth Record anchor in block DEPTH; the proofs come from its Esplora server. */
async function anchorInputs(): Promise<Record<'anchorNear' | 'anchorFar', AnchorCase>> {
  const chain = new RegtestChain();
  const key = regtestKey();
  const record = { identity: cidOf(utf8('bench identity')), origin: 'bench.example/log', key: new Uint8Array(32) };
  const hash = birthRecordHash(record);
  chain.mine(DEPTH - 1); // to the faucet, whose coinbases have matured by then
  const coin = chain.fund(key.address, 100_000n, false);
  const tx = new Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: key.script, amount: coin.value } });
  tx.addOutput({ script: anchorScript(anchorPayload(ANCHOR_KIND.birthRecord, hash)), amount: 0n });
  tx.addOutputAddress(key.address, coin.value - 1_000n, REGTEST);
  tx.sign(key.secretKey);
  tx.finalize();
  const txid = chain.submit(tx.extract());
  chain.mine();
  const esplora = await startEsplora(chain);
  try {
    const near = { height: DEPTH - 1, hash: chain.blocks[DEPTH - 1]!.id };
    const common = { kind: ANCHOR_KIND.birthRecord, hash: toHex(hash) };
    return {
      anchorNear: {
        ...common,
        proof: await fetchAnchorProof(esplora.url, txid, near.height),
        trust: { network: 'regtest', checkpoint: near },
      },
      anchorFar: { ...common, proof: await fetchAnchorProof(esplora.url, txid), trust: { network: 'regtest' } },
    };
  } finally {
    await esplora.close();
  }
}

/** Builds bench/tlog-browser.html into a temp directory and serves it on 127.0.0.1, cross-origin isolated. */
async function servePage(cleanup: Cleanup): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'dta-bench-tlog-'));
  cleanup.add('the page build', () => rm(outDir, { recursive: true, force: true }));
  const config = { root: ROOT, configFile: false as const, logLevel: 'warn' as const };
  const building = build({
    ...config,
    build: { outDir, emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(ROOT, PAGE) } },
  });
  await withTimeout(building, BUILD_MS, `vite build of ${PAGE}`);
  const starting = preview({
    ...config,
    build: { outDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      strictPort: true,
      open: false,
      // Isolation gives performance.now() 5 µs resolution instead of 100 µs.
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
  });
  cleanup.add('the preview server', () => starting.then((s) => s.close())); // even if it comes up late
  const server = await withTimeout(starting, SERVE_MS, 'starting the preview server');
  const { port } = server.httpServer.address() as AddressInfo;
  return `http://localhost:${port}/${PAGE}`;
}

/** Runs `input` in the page at `url` in a fresh Chromium; closes everything it started. */
async function runInChromium(url: string, input: BrowserBenchInput, cleanup: Cleanup): Promise<BrowserBenchResult> {
  const browser = await launchChromium(cleanup);
  const ctx = await newAppContext(browser, cleanup);
  const page = await ctx.newPage();
  await page.goto(url, { timeout: LIMITS.loadMs });
  await page.waitForFunction(() => window.dtaTlogBench !== undefined, undefined, { timeout: LIMITS.loadMs });
  const result = await withTimeout(
    page.evaluate((i) => window.dtaTlogBench.run(i), input),
    RUN_MS,
    'the browser tlog bench',
  );
  if (ctx.errors.length > 0) throw new Error(`the bench page reported: ${ctx.errors.join('; ')}`);
  if (ctx.external.length > 0) throw new Error(`the bench page left loopback: ${ctx.external.join(', ')}`);
  return result;
}

/** The browser rows whose name contains `only` (all when absent); nothing is built or launched if none is. */
export async function tlogBrowserRows(options: MeasureOptions, only?: string): Promise<TlogRow[]> {
  const wanted = (op: string): boolean => only === undefined || op.includes(only);
  if (!Object.values(OPS).some(wanted)) return [];
  const tree =
    wanted(OPS.inclusion) || wanted(OPS.consistency)
      ? await treeInputs(wanted(OPS.inclusion), wanted(OPS.consistency))
      : undefined;
  // The note's checkpoint names the bench tree's root when it was built (its signatures do not depend on it).
  const root = tree ? fromHex(tree.root) : leafHash(utf8('bench checkpoint'));
  const anchors: Record<string, AnchorCase> =
    wanted(OPS.anchorNear) || wanted(OPS.anchorFar) ? await anchorInputs() : {};
  const input: BrowserBenchInput = {
    options,
    ...(tree ? { tree } : {}),
    ...(wanted(OPS.note) ? { note: noteInputs(root) } : {}),
    anchors: Object.fromEntries(Object.entries(anchors).filter(([key]) => wanted(OPS[key as keyof typeof OPS]))),
  };
  const cleanup = new Cleanup();
  let result: BrowserBenchResult;
  try {
    result = await runInChromium(await servePage(cleanup), input, cleanup);
  } finally {
    await cleanup.run();
  }
  console.error(`  browser rows: ${result.userAgent}${result.isolated ? '' : ' (not cross-origin isolated)'}`);
  return (Object.keys(OPS) as (keyof typeof OPS)[])
    .filter((key) => wanted(OPS[key]))
    .map((key) => ({ op: OPS[key], us: result.us[key]! }));
}
