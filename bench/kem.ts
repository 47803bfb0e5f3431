/**
 * KEM rows of `npm run bench` (issue 10, part 2): X25519, SHA3-256, ML-KEM-768 and X-Wing in the core
 * against noble (and X25519 and HKDF against WebCrypto where the runtime has it), AES-256-GCM on noble
 * (what the protocol runs) against WebCrypto, and envelope seal/open for one recipient before (noble's
 * X-Wing) and after (the core's), the same protocol code on either backend, interleaved.
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import type { Core } from '../src/core/types.ts';
import { envelopeTimes, measureAsyncSideBySide } from './envelope-kem.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

export interface KemRow {
  readonly op: string;
  /** Median µs per operation; undefined where a library has no such operation. */
  readonly ours?: number;
  readonly noble?: number;
  readonly webcrypto?: number;
}

export const KEM_NOTES = [
  'KEM rows: ours = core.kem (wasm/dta.wasm), noble = @noble/curves x25519, @noble/hashes, @noble/post-quantum.',
  'WebCrypto rows time crypto.subtle (async) on keys imported once; X25519 = deriveBits(256).',
  'HKDF = extract + expand to 32 bytes; AES-256-GCM seals 64 bytes: the protocol runs noble for both (kdf.ts, ' +
    'aead.ts); the core has HKDF (core.hash) but no AES.',
  'Envelope before/after = the same protocol code with its X-Wing backend set to noble / to the core ' +
    '(src/core/crypto/xwing-backends.ts) before each call; samples interleaved. Open = verifyEnvelope from the ' +
    "bytes (the signed part cut from them, the sender's BLS key validated once per core and cached) + openEnvelope.",
  "HPKE and the key commitment keep noble for HKDF: the core's HKDF row is slower here (a call copies in and out).",
];

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** WebCrypto X25519 deriveBits, or undefined when the runtime lacks X25519. */
async function webCryptoX25519(k: Uint8Array, u: Uint8Array): Promise<(() => Promise<unknown>) | undefined> {
  try {
    const pub = x25519.getPublicKey(k);
    const priv = await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'X25519', d: b64url(k), x: b64url(pub) },
      { name: 'X25519' },
      false,
      ['deriveBits'],
    );
    const peer = await crypto.subtle.importKey('raw', u.slice(), { name: 'X25519' }, false, []);
    return () => crypto.subtle.deriveBits({ name: 'X25519', public: peer }, priv, 256);
  } catch {
    return undefined;
  }
}

/** Envelope seal/open for one recipient: before (noble X-Wing) and after (core), interleaved. */
async function envelopeRows(core: Core, options: MeasureOptions): Promise<KemRow[]> {
  const { seal, open } = await envelopeTimes(core, options);
  return [
    { op: 'Envelope: seal for 1 recipient (after: core X-Wing; before: noble)', ours: seal.after, noble: seal.before },
    { op: 'Envelope: open (verify + decrypt), 1 recipient (after/before)', ours: open.after, noble: open.before },
  ];
}

export async function kemRows(core: Core, options: MeasureOptions, only?: string): Promise<KemRow[]> {
  const k = new Uint8Array(32).fill(3),
    u = x25519.getPublicKey(new Uint8Array(32).fill(4));
  const d = new Uint8Array(32).fill(1),
    z = new Uint8Array(32).fill(2),
    m = new Uint8Array(32).fill(5);
  const ours = core.kem.mlkem768.keygen(d, z);
  const theirs = ml_kem768.keygen(new Uint8Array([...d, ...z]));
  const ct = core.kem.mlkem768.encaps(ours.encapsulationKey, m).ciphertext;
  const seed = new Uint8Array(32).fill(6),
    eseed = new Uint8Array(64).fill(7);
  const pk = core.kem.xwing.keygen(seed);
  const enc = core.kem.xwing.encaps(pk, eseed).enc;
  const kib = new Uint8Array(1024).fill(8);
  const key = new Uint8Array(32).fill(9),
    nonce = new Uint8Array(12),
    text = new Uint8Array(64);
  const pair = (op: string, o: () => unknown, n: () => unknown) => ({ op, fns: { ours: o, noble: n } });
  const sync = [
    pair(
      'X25519 shared secret',
      () => core.kem.x25519(k, u),
      () => x25519.getSharedSecret(k, u),
    ),
    pair(
      'X25519 public key',
      () => core.kem.x25519Base(k),
      () => x25519.getPublicKey(k),
    ),
    pair(
      'SHA3-256 of 1 KiB',
      () => core.kem.sha3_256(kib),
      () => sha3_256(kib),
    ),
    pair(
      'ML-KEM-768 keygen',
      () => core.kem.mlkem768.keygen(d, z),
      () => ml_kem768.keygen(new Uint8Array(64)),
    ),
    pair(
      'ML-KEM-768 encaps',
      () => core.kem.mlkem768.encaps(ours.encapsulationKey, m),
      () => ml_kem768.encapsulate(theirs.publicKey, m),
    ),
    pair(
      'ML-KEM-768 decaps',
      () => core.kem.mlkem768.decaps(ct, ours.decapsulationKey),
      () => ml_kem768.decapsulate(ct, theirs.secretKey),
    ),
    pair(
      'X-Wing keygen',
      () => core.kem.xwing.keygen(seed),
      () => ml_kem768_x25519.keygen(seed),
    ),
    pair(
      'X-Wing encaps',
      () => core.kem.xwing.encaps(pk, eseed),
      () => ml_kem768_x25519.encapsulate(pk, eseed),
    ),
    pair(
      'X-Wing decaps',
      () => core.kem.xwing.decaps(enc, seed),
      () => ml_kem768_x25519.decapsulate(enc, seed),
    ),
    pair(
      'HKDF-SHA256 extract + expand 32 B',
      () => core.hash.hkdfExpand(core.hash.hkdfExtract(key, kib), d, 32),
      () => expand(sha256, extract(sha256, kib, key), d, 32),
    ),
    { op: 'AES-256-GCM seal 64 B (noble; ours = none)', fns: { noble: () => gcm(key, nonce).encrypt(text) } },
  ];
  // --only kem runs every row of this table.
  const wanted = (op: string) => only === undefined || only === 'kem' || op.includes(only);
  const rows: KemRow[] = [];
  const webX25519 = await webCryptoX25519(k, u);
  const hkdfKey = await crypto.subtle.importKey('raw', kib, 'HKDF', false, ['deriveBits']);
  const aesKey = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const web: Record<string, () => Promise<unknown>> = {
    ...(webX25519 ? { 'X25519 shared secret': webX25519 } : {}),
    'HKDF-SHA256 extract + expand 32 B': () =>
      crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: key, info: d }, hkdfKey, 256),
    'AES-256-GCM seal 64 B (noble; ours = none)': () =>
      crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aesKey, text),
  };
  for (const { op, fns } of sync.filter((s) => wanted(s.op))) {
    const us = measureSideBySide(fns as Record<string, () => unknown>, options);
    const w = web[op];
    rows.push({ op, ...us, ...(w ? { webcrypto: (await measureAsyncSideBySide({ w }, options)).w } : {}) });
    console.error(`  ${op}: done`);
  }
  if (wanted('Envelope')) rows.push(...(await envelopeRows(core, options)));
  return rows;
}

export function printKemTable(rows: readonly KemRow[]): void {
  const num = (v?: number) => (v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2));
  const header = ['operation', 'ours µs', 'noble µs', 'WebCrypto µs', 'ours/noble', 'ours/WebCrypto'];
  const lines = rows.map((r) => [
    r.op,
    num(r.ours),
    num(r.noble),
    num(r.webcrypto),
    ratio(r.ours, r.noble),
    ratio(r.ours, r.webcrypto),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
