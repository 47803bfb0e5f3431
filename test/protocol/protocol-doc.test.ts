// docs/protocol.md against the code: every constant in its marked table equals the export of that name (and
// every constant listed here is in the table), its test vectors are what the code computes, and every link
// into it (from itself, from docs/ and from comments in src/) names a section that exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gcm } from '@noble/ciphers/aes.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { concat, i2osp, toHex, utf8 } from '../../src/core/bytes.ts';
import {
  AEAD_AES_256_GCM,
  aes256gcm,
  CONTENT_AEAD_KEY_INFO,
  CONTENT_KEY_SALT,
  commitKey,
  hpke,
  KDF_HKDF_SHA256,
  KEY_COMMITMENT_BYTES,
  KEY_COMMITMENT_INFO,
  NONCE_BYTES,
  TAG_BYTES,
  XWING_ENC_BYTES,
  XWING_ID,
  XWING_PUBLIC_KEY_BYTES,
  XWING_SEED_BYTES,
  XWING_SHARED_SECRET_BYTES,
  xwing,
} from '../../src/core/crypto/index.ts';
import {
  BACKUP_TYPE,
  CONTENT_KEY_BYTES,
  createEnvelope,
  createIdentity,
  DAG_CBOR_CODE,
  DEFAULT_MAX_CHAIN,
  ENVELOPE_DOMAIN,
  ENVELOPE_KEY_INFO,
  ENVELOPE_VERSION,
  type EnvelopeHeader,
  encode,
  generateIdentitySecrets,
  HEADER_NONCE_BYTES,
  IDENTITY_DOMAIN,
  MAX_DOCUMENT_BYTES,
  MAX_IDENTITY_BYTES,
  MAX_RECIPIENTS,
  MAX_TIME,
  openEnvelope,
  readIdentity,
  resolverOf,
  SCRYPT_DEFAULTS,
  SEED_BYTES,
  SHA2_256_CODE,
  signingInput,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { DEFAULT_BODY_LIMIT, DEFAULT_FRESHNESS_MS } from '../../src/node/config.ts';
import { ADDRESS_TYPES, addressesOf } from '../../src/plugins/bitcoin/address.ts';
import {
  COMMITMENT_BYTES,
  COMMITMENT_TAG,
  commitmentOf,
  PROOF_BYTES,
  proveShare,
  verifyShareProof,
} from '../../src/plugins/bitcoin/commitment.ts';
import {
  addPublicKeys,
  PUBLIC_BYTES,
  parsePublicKey,
  publicKeyBytes,
  publicKeyOf,
  SECRET_BYTES,
} from '../../src/plugins/bitcoin/keys.ts';
import { NETWORK_NAMES, network } from '../../src/plugins/bitcoin/network.ts';
import { MAX_STATEMENT_BYTES, REPLY_VERSION } from '../../src/plugins/bitcoin/schema.ts';
import { KEY_STATEMENT_TYPE } from '../../src/plugins/bitcoin/statement.ts';
import { ISSUE_KINDS } from '../../src/plugins/mpin/issue-messages.ts';
import {
  COMMITMENT_BYTES as SAFEGUARD_COMMITMENT_BYTES,
  commitmentOf as safeguardCommitmentOf,
} from '../../src/plugins/safeguard/commitment.ts';
import {
  MAX_GENERATE as SAFEGUARD_MAX_GENERATE,
  MAX_LABEL as SAFEGUARD_MAX_LABEL,
  MAX_SECRET_BYTES as SAFEGUARD_MAX_SECRET_BYTES,
  MIN_GENERATE as SAFEGUARD_MIN_GENERATE,
} from '../../src/plugins/safeguard/schema.ts';
import { APP_BACKUP_TYPE } from '../../src/worker/vault/backup-file.ts';
import { getCore } from './helpers.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** The constants the document must state, by the name its table uses. */
const CODE: Readonly<Record<string, unknown>> = {
  IDENTITY_DOMAIN,
  ENVELOPE_DOMAIN,
  ENVELOPE_KEY_INFO,
  ENVELOPE_VERSION,
  CONTENT_KEY_SALT,
  CONTENT_AEAD_KEY_INFO,
  KEY_COMMITMENT_INFO,
  KEY_COMMITMENT_BYTES,
  DAG_CBOR_CODE,
  SHA2_256_CODE,
  MAX_DOCUMENT_BYTES,
  MAX_IDENTITY_BYTES,
  MAX_TIME,
  SEED_BYTES,
  MAX_RECIPIENTS,
  HEADER_NONCE_BYTES,
  CONTENT_KEY_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
  DEFAULT_MAX_CHAIN,
  XWING_ID,
  XWING_SEED_BYTES,
  XWING_PUBLIC_KEY_BYTES,
  XWING_ENC_BYTES,
  XWING_SHARED_SECRET_BYTES,
  KDF_HKDF_SHA256,
  AEAD_AES_256_GCM,
  'hpke.suiteId': hpke.suiteId,
  BACKUP_TYPE,
  'SCRYPT_DEFAULTS.N': SCRYPT_DEFAULTS.N,
  'SCRYPT_DEFAULTS.r': SCRYPT_DEFAULTS.r,
  'SCRYPT_DEFAULTS.p': SCRYPT_DEFAULTS.p,
  APP_BACKUP_TYPE,
  DEFAULT_FRESHNESS_MS,
  DEFAULT_BODY_LIMIT,
  'safeguard.MAX_SECRET_BYTES': SAFEGUARD_MAX_SECRET_BYTES,
  'safeguard.MIN_GENERATE': SAFEGUARD_MIN_GENERATE,
  'safeguard.MAX_GENERATE': SAFEGUARD_MAX_GENERATE,
  'safeguard.MAX_LABEL': SAFEGUARD_MAX_LABEL,
  'safeguard.COMMITMENT_BYTES': SAFEGUARD_COMMITMENT_BYTES,
  'bitcoin.COMMITMENT_TAG': COMMITMENT_TAG,
  'bitcoin.COMMITMENT_BYTES': COMMITMENT_BYTES,
  'bitcoin.PROOF_BYTES': PROOF_BYTES,
  'bitcoin.PUBLIC_BYTES': PUBLIC_BYTES,
  'bitcoin.SECRET_BYTES': SECRET_BYTES,
  'bitcoin.MAX_STATEMENT_BYTES': MAX_STATEMENT_BYTES,
  'bitcoin.KEY_STATEMENT_TYPE': KEY_STATEMENT_TYPE,
  'bitcoin.REPLY_VERSION': REPLY_VERSION,
  'bitcoin.NETWORK_NAMES': NETWORK_NAMES,
  'bitcoin.ADDRESS_TYPES': ADDRESS_TYPES,
  'mpin.ISSUE_KINDS': ISSUE_KINDS,
};

/** The text between `<!-- name:begin -->` and `<!-- name:end -->`. */
function marked(name: string): string {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(doc);
  if (!m) throw new Error(`docs/protocol.md has no ${name} block`);
  return m[1]!;
}

/** The body rows of the first Markdown table in `text`, cells trimmed, `\|` unescaped, backticks removed. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((line) =>
    line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) =>
        cell
          .trim()
          .replace(/\\\|/g, '|')
          .replace(/^`(.*)`$/, '$1'),
      ),
  );
}

/** A value as the table writes it: "text" (\0 = NUL), hex:…, a JSON list, or a decimal or 0x number. */
function parseValue(written: string): unknown {
  if (written.startsWith('"')) return written.slice(1, -1).replace(/\\0/g, '\0');
  if (written.startsWith('hex:')) return written.slice(4);
  if (written.startsWith('[')) return JSON.parse(written);
  const n = Number(written);
  if (!Number.isSafeInteger(n)) throw new Error(`not a value: ${written}`);
  return n;
}

/** The code's value in the form parseValue gives: bytes as hex (or their text when the table writes text). */
function codeValue(actual: unknown, written: unknown): unknown {
  if (actual instanceof Uint8Array)
    return typeof written === 'string' && !/^[0-9a-f]*$/.test(written)
      ? new TextDecoder().decode(actual)
      : toHex(actual);
  return Array.isArray(actual) ? [...actual] : actual;
}

describe('docs/protocol.md constants', () => {
  const rows = tableRows(marked('checked-constants'));

  it('states every constant the code defines for the wire, each once', () => {
    const names = rows.map((r) => r[0]);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(CODE).sort());
  });

  it.each(rows.map((r) => [r[0]!, r[1]!]))('%s = %s', (name, written) => {
    const value = parseValue(written);
    expect(codeValue(CODE[name], value)).toEqual(value);
  });

  it('gives the signing prefixes and the HPKE info as exact bytes', () => {
    expect(toHex(IDENTITY_DOMAIN)).toBe('6474612f6964656e746974792f763100');
    expect(toHex(ENVELOPE_DOMAIN)).toBe('6474612f656e76656c6f70652f763100');
    expect(ENVELOPE_KEY_INFO).toEqual(utf8('dta/envelope/v1 key'));
    expect(doc).toContain('`"dta/envelope/v1\\0"` (`6474612f656e76656c6f70652f763100`)');
  });
});

/** The AES key and key commitment of a content key exactly as the Sealing section spells them out, on noble's HKDF. */
function committedBySpelledOutKdf(key: Uint8Array) {
  const prk = extract(sha256, key, utf8('dta/envelope/v2 content key'));
  return {
    aeadKey: expand(sha256, prk, utf8('aes-256-gcm key'), 32),
    commitment: expand(sha256, prk, utf8('key commitment'), 32),
  };
}

/** The key wrap exactly as the Sealing section spells HPKE out, on HKDF and AES-GCM straight from noble. */
function wrapBySpelledOutSchedule(pk: Uint8Array, eseed: Uint8Array, aad: Uint8Array, key: Uint8Array) {
  const suite = concat(utf8('HPKE'), i2osp(0x647a, 2), i2osp(0x0001, 2), i2osp(0x0002, 2));
  const labeledExtract = (salt: Uint8Array, label: string, ikm: Uint8Array) =>
    extract(sha256, concat(utf8('HPKE-v1'), suite, utf8(label), ikm), salt);
  const labeledExpand = (prk: Uint8Array, label: string, info: Uint8Array, length: number) =>
    expand(sha256, prk, concat(i2osp(length, 2), utf8('HPKE-v1'), suite, utf8(label), info), length);
  const empty = new Uint8Array(0);
  const { sharedSecret, enc } = xwing.encap(pk, eseed);
  const context = concat(
    Uint8Array.of(0),
    labeledExtract(empty, 'psk_id_hash', empty),
    labeledExtract(empty, 'info_hash', utf8('dta/envelope/v1 key')),
  );
  const secret = labeledExtract(sharedSecret, 'secret', empty);
  const wrapKey = labeledExpand(secret, 'key', context, 32);
  const baseNonce = labeledExpand(secret, 'base_nonce', context, 12);
  return { enc, ciphertext: gcm(wrapKey, baseNonce, aad).encrypt(key) };
}

describe('docs/protocol.md test vectors', () => {
  let core: Core;
  const computed = new Map<string, string>();
  let envelopeHex = '';
  const INPUTS = new Set([
    'identity fields',
    'plain envelope fields',
    'sealed envelope fields',
    'sealed envelope secrets',
    'safeguard inputs',
    'bitcoin f, b',
  ]);

  beforeAll(async () => {
    core = await getCore();
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
    const secrets = await generateIdentitySecrets(core.bls, seed);
    const identity = await createIdentity(core.bls, secrets, { name: 'alice', created: 1_700_000_000_000 });
    const envelope = await createEnvelope(core.bls, secrets.bls, {
      type: 'note/send',
      sender: identity.cid,
      created: 1_700_000_000_001,
      nonce: new Uint8Array(16),
      content: { hello: 'world' },
    });
    // What a second implementation would do with the vectors: read them back as a receiver.
    await readIdentity(core.bls, identity.bytes, identity.cid);
    await verifyEnvelope(core.bls, envelope.bytes, resolverOf([identity]), { expected: envelope.cid });
    envelopeHex = toHex(envelope.bytes);

    // The sealed envelope, built by the recipe of the document's Sealing section, then opened by the code.
    const header: EnvelopeHeader = {
      type: 'note/send',
      version: 2,
      sender: identity.cid,
      recipients: [identity.cid],
      previous: null,
      order: '',
      created: 1_700_000_000_002,
      nonce: new Uint8Array(16).fill(0x01),
    };
    const aad = encode(header);
    const key = new Uint8Array(32).fill(0x11);
    const nonce = new Uint8Array(12).fill(0x22);
    const eseed = Uint8Array.from({ length: 64 }, (_, i) => i);
    const { aeadKey, commitment: keyCommitment } = committedBySpelledOutKdf(key);
    expect(commitKey(key)).toEqual({ aeadKey, commitment: keyCommitment });
    const ciphertext = aes256gcm.seal(aeadKey, nonce, aad, encode({ hello: 'world' }));
    const slot = hpke.seal(identity.value.keys.xwing, utf8('dta/envelope/v1 key'), aad, key, eseed);
    const keys = [{ recipient: identity.cid, enc: slot.enc, wrapped: slot.ciphertext }];
    const body = { sealed: { nonce, ciphertext, keys, commitment: keyCommitment } };
    const sealedSignature = await core.bls.sign(secrets.bls, signingInput(ENVELOPE_DOMAIN, { header, body }));
    const sealedBytes = encode({ header, body, signature: sealedSignature });
    const sealed = await verifyEnvelope(core.bls, sealedBytes, resolverOf([identity]));
    expect(sealed.value.header.version).toBe(ENVELOPE_VERSION);
    expect(openEnvelope(sealed, { cid: identity.cid, xwing: secrets.xwing }, { requireCommitment: true })).toEqual({
      hello: 'world',
    });
    expect(wrapBySpelledOutSchedule(identity.value.keys.xwing, eseed, aad, key)).toEqual(slot);

    const f = new Uint8Array(32);
    f[31] = 1;
    const b = new Uint8Array(32);
    b[31] = 2;
    const F = publicKeyOf(f);
    const B = publicKeyOf(b);
    const sum = addPublicKeys(parsePublicKey(F, 'F'), parsePublicKey(B, 'B'));
    const addresses = addressesOf(sum, network('regtest'));
    const commitment = commitmentOf({
      order: envelope.cid,
      network: 'regtest',
      addressType: 'p2tr',
      fiduciaryPublicKey: F,
      beneficiaryPublicKey: B,
    });
    const proof = proveShare(f, commitment);
    expect(verifyShareProof(F, commitment, proof)).toBe(true);

    for (const [item, value] of [
      ['seed', toHex(seed)],
      ['BLS secret key', toHex(secrets.bls)],
      ['X-Wing seed', toHex(secrets.xwing)],
      ['BLS public key', toHex(identity.value.keys.bls)],
      ['identity document length', String(identity.bytes.length)],
      ['identity document SHA-256', toHex(sha256(identity.bytes))],
      ['identity id', identity.cid.toString()],
      ['plain envelope id', envelope.cid.toString()],
      ['sealed aad SHA-256', toHex(sha256(aad))],
      ['sealed content AES key', toHex(aeadKey)],
      ['sealed key commitment', toHex(keyCommitment)],
      ['sealed ciphertext', toHex(ciphertext)],
      ['sealed slot enc SHA-256', toHex(sha256(slot.enc))],
      ['sealed slot wrapped', toHex(slot.ciphertext)],
      ['sealed envelope id', sealed.cid.toString()],
      ['safeguard commitment', toHex(safeguardCommitmentOf(envelope.cid.toString(), utf8('hello')))],
      ['bitcoin F + B', toHex(publicKeyBytes(sum))],
      ['bitcoin p2wpkh', addresses.p2wpkh],
      ['bitcoin p2tr', addresses.p2tr],
      ['bitcoin commitment', toHex(commitment)],
      ['bitcoin proof', toHex(proof)],
    ] as const)
      computed.set(item, value);
  });

  it('every row is an input or a value the code recomputes', () => {
    const rows = tableRows(marked('checked-vectors'));
    const items = rows.map((r) => r[0]!);
    expect(items.filter((i) => !INPUTS.has(i)).sort()).toEqual([...computed.keys()].sort());
    for (const [item, value] of rows) if (!INPUTS.has(item!)) expect(value, item).toBe(computed.get(item!));
  });

  it("the plain envelope bytes are byte for byte the code's", () => {
    const block = /```\n([0-9a-f\n]+)```/.exec(marked('checked-vectors'));
    expect(block, 'a fenced hex block').not.toBeNull();
    expect(block![1]!.replace(/\n/g, '')).toBe(envelopeHex);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a Markdown page: its headings' and its explicit `<a id>`s. */
function anchorsOf(page: string): Set<string> {
  const headings = [...page.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!));
  const ids = [...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!);
  return new Set([...headings, ...ids]);
}

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('links into docs/protocol.md', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const anchors = anchorsOf(doc);

  it('its own #links name its sections', () => {
    const links = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((a) => !anchors.has(a))).toEqual([]);
  });

  it('its links into mpin.md name sections of mpin.md', () => {
    const mpin = anchorsOf(readFileSync(join(root, 'docs/mpin.md'), 'utf8'));
    const links = [...doc.matchAll(/\]\(mpin\.md#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((a) => !mpin.has(a))).toEqual([]);
  });

  it('comments in src/ that cite docs/protocol.md#section name a section', () => {
    const cited = sources(join(root, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/docs\/protocol\.md#([a-z0-9-]+)/g)].map((m) => `${file}: ${m[1]}`),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((c) => !anchors.has(c.split(': ')[1]!))).toEqual([]);
  });
});
