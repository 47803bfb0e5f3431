// Issue 16, finding 3: one signed, sealed envelope must open to the same content for every recipient. A dishonest
// sender wraps a different content key for each recipient; with AES-GCM alone (version 1) it can even make one
// ciphertext that opens, under two keys, to two different contents. Version 2 commits to the content key in the
// signed body and refuses, by name, a key slot whose key is not the committed one, before AES-GCM runs.
import { readFileSync } from 'node:fs';
import { CID } from 'multiformats/cid';
import { beforeAll, describe, expect, it } from 'vitest';
import { aes256gcm, commitKey } from '../../src/core/crypto/index.ts';
import {
  createEnvelope,
  decodeEnvelope,
  ENVELOPE_VERSION,
  encode,
  type IdentityResolver,
  openEnvelope,
  readIdentity,
  recipientOf,
  resolverOf,
  verifyChain,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import { generateIdentitySecrets } from '../../src/core/protocol/keys.ts';
import type { Core } from '../../src/core/types.ts';
import { collide, keystreamBlock } from './gcm-collision.ts';
import { errorName, getCore, MemoryBlocks, makeParty, type Party } from './helpers.ts';
import { handSeal, headerOf, sealVersion1 } from './legacy.ts';

let core: Core;
let alice: Party, bob: Party, carol: Party;
let identities: IdentityResolver;
const fill = (n: number, byte: number) => new Uint8Array(n).fill(byte);
const utf8 = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  core = await getCore();
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((n) => makeParty(core, n)))) as [
    Party,
    Party,
    Party,
  ];
  identities = resolverOf([alice, bob, carol].map((p) => p.identity));
});

const opener = (p: Party) => ({ cid: p.cid, xwing: p.secrets.xwing });
const sender = () => ({ cid: alice.cid, bls: alice.secrets.bls });

describe("a key slot that holds another key than the content's", () => {
  const K1 = fill(32, 0x01);
  const K2 = fill(32, 0x02);
  const nonce = fill(12, 0x03);

  it('version 2: the recipient is refused by name (KeyCommitmentError) before AES-GCM runs', async () => {
    const recipients = [bob.identity, carol.identity];
    const aad = encode(headerOf({ sender: sender(), version: 2, recipients }));
    const { aeadKey, commitment } = commitKey(K1);
    const ciphertext = aes256gcm.seal(aeadKey, nonce, aad, encode({ said: 'to bob' }));
    const env = await handSeal(core, {
      sender: sender(),
      version: 2,
      recipients,
      keys: [K1, K2],
      nonce,
      ciphertext,
      commitment,
    });
    const checked = await verifyEnvelope(core.bls, env.bytes, identities); // the signature holds: the sender made it
    expect(openEnvelope(checked, opener(bob))).toEqual({ said: 'to bob' });
    // Not DecryptionError: the commitment is compared before the content is decrypted.
    expect(await errorName(() => openEnvelope(checked, opener(carol)))).toBe('KeyCommitmentError');
  });

  it('version 1: only the GCM tag stopped it (DecryptionError); with a commitment required, KeyCommitmentError', async () => {
    const recipients = [bob.identity, carol.identity];
    const aad = encode(headerOf({ sender: sender(), version: 1, recipients }));
    const ciphertext = aes256gcm.seal(K1, nonce, aad, encode({ said: 'to bob' }));
    const env = await handSeal(core, { sender: sender(), version: 1, recipients, keys: [K1, K2], nonce, ciphertext });
    const checked = await verifyEnvelope(core.bls, env.bytes, identities);
    expect(openEnvelope(checked, opener(bob))).toEqual({ said: 'to bob' });
    expect(await errorName(() => openEnvelope(checked, opener(carol)))).toBe('DecryptionError');
    for (const p of [bob, carol]) {
      expect(await errorName(() => openEnvelope(checked, opener(p), { requireCommitment: true }))).toBe(
        'KeyCommitmentError',
      );
    }
  });
});

/**
 * The ciphertext blocks of `first` (two canonical DAG-CBOR byte-string headers need equal first bytes under both
 * keys), a free block and a last block; the search for K2 makes the two keystreams agree on those two bytes.
 */
function secondKeyAgreeingOn2Bytes(k1: Uint8Array, nonce: Uint8Array): Uint8Array {
  const want = keystreamBlock(k1, nonce, 0);
  for (let i = 0; ; i++) {
    const k2 = fill(32, 0xb2);
    new DataView(k2.buffer).setUint32(0, i);
    const got = keystreamBlock(k2, nonce, 0);
    if (got[0] === want[0] && got[1] === want[1]) return k2;
  }
}

describe('one ciphertext, two contents: the AES-GCM multi-key collision', () => {
  const nonce = fill(12, 0x07);
  const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]!);

  it("version 1 (today's format) opens to two different contents for two recipients; a required commitment refuses it", async () => {
    const K1 = fill(32, 0xa1);
    const K2 = secondKeyAgreeingOn2Bytes(K1, nonce);
    const recipients = [bob.identity, carol.identity];
    const aad = encode(headerOf({ sender: sender(), version: 1, recipients }));
    // Content under K1: a 46-byte DAG-CBOR byte string (0x58 0x2e, then 46 bytes) in three 16-byte blocks.
    const p0 = new Uint8Array([0x58, 46, ...utf8('pay bob 1 BTC.')]);
    const p2 = utf8('the rest is...!');
    const c0 = xor(p0, keystreamBlock(K1, nonce, 0));
    const c2 = xor(new Uint8Array([...p2, 0x21]), keystreamBlock(K1, nonce, 2));
    const ciphertext = collide(K1, K2, nonce, aad, [c0, new Uint8Array(16), c2], 1);
    // AES-GCM itself accepts it under both keys.
    expect(aes256gcm.open(K1, nonce, aad, ciphertext)).not.toEqual(aes256gcm.open(K2, nonce, aad, ciphertext));

    const env = await handSeal(core, { sender: sender(), version: 1, recipients, keys: [K1, K2], nonce, ciphertext });
    const checked = await verifyEnvelope(core.bls, env.bytes, identities);
    const forBob = openEnvelope(checked, opener(bob)) as Uint8Array;
    const forCarol = openEnvelope(checked, opener(carol)) as Uint8Array;
    expect(forBob).toBeInstanceOf(Uint8Array);
    expect(forCarol).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(forBob.subarray(0, 14))).toBe('pay bob 1 BTC.');
    expect(forCarol).not.toEqual(forBob); // one signed envelope, two contents
    expect(await errorName(() => openEnvelope(checked, opener(carol), { requireCommitment: true }))).toBe(
      'KeyCommitmentError',
    );
  });

  it('version 2: the same collision under the derived AES keys; the recipient of the other key is refused', async () => {
    const K1 = fill(32, 0xa1);
    const K2 = fill(32, 0xa2);
    const recipients = [bob.identity, carol.identity];
    const aad = encode(headerOf({ sender: sender(), version: 2, recipients }));
    const [key1, key2] = [commitKey(K1), commitKey(K2)];
    const ciphertext = collide(key1.aeadKey, key2.aeadKey, nonce, aad, [fill(16, 1), fill(16, 2), fill(16, 3)], 1);
    expect(() => aes256gcm.open(key1.aeadKey, nonce, aad, ciphertext)).not.toThrow();
    expect(() => aes256gcm.open(key2.aeadKey, nonce, aad, ciphertext)).not.toThrow();
    const env = await handSeal(core, {
      sender: sender(),
      version: 2,
      recipients,
      keys: [K1, K2],
      nonce,
      ciphertext,
      commitment: key1.commitment,
    });
    const checked = await verifyEnvelope(core.bls, env.bytes, identities);
    expect(await errorName(() => openEnvelope(checked, opener(bob)))).toBe('DecodeError'); // K1's, not DAG-CBOR
    expect(await errorName(() => openEnvelope(checked, opener(carol)))).toBe('KeyCommitmentError');
  });
});

describe('version 2 is what the code creates', () => {
  it('an honest envelope to two recipients carries the commitment of its key and opens the same for both', async () => {
    const env = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'note/send',
      sender: alice.cid,
      recipients: [recipientOf(bob.identity), recipientOf(carol.identity)],
      sealed: true,
      content: { same: 'for all' },
    });
    expect(env.value.header.version).toBe(ENVELOPE_VERSION);
    expect(ENVELOPE_VERSION).toBe(2);
    const checked = await verifyEnvelope(core.bls, env.bytes, identities);
    for (const p of [bob, carol]) {
      expect(openEnvelope(checked, opener(p), { requireCommitment: true })).toEqual({ same: 'for all' });
    }
  });

  it('a commitment changed after signing fails the signature; re-signed, it fails the commitment', async () => {
    const env = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'note/send',
      sender: alice.cid,
      recipients: [recipientOf(bob.identity)],
      sealed: true,
      content: 1,
    });
    const body = env.value.body as { sealed: { commitment: Uint8Array } };
    const other = { ...env.value, body: { sealed: { ...body.sealed, commitment: fill(32, 9) } } };
    expect(await errorName(() => verifyEnvelope(core.bls, encode(other), identities))).toBe('SignatureError');
    const k = commitKey(fill(32, 4));
    const resigned = await handSeal(core, {
      sender: sender(),
      version: 2,
      recipients: [bob.identity],
      keys: [fill(32, 5)],
      nonce: fill(12, 0),
      ciphertext: fill(32, 0),
      commitment: k.commitment,
    });
    expect(await errorName(() => openEnvelope(decodeEnvelope(resigned.bytes), opener(bob)))).toBe('KeyCommitmentError');
  });
});

describe('version 1 envelopes stored before version 2 (test/protocol/fixtures/envelopes-v1.json)', () => {
  interface Fixture {
    parties: Record<string, { seed: string; identity: string }>;
    envelopes: Record<string, { cid: string; bytes: string; content?: unknown }>;
  }
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/envelopes-v1.json', import.meta.url), 'utf8')) as Fixture;
  const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
  const bytesOf = (name: string) => hex(fixture.envelopes[name]!.bytes);
  const cidOf = (name: string) => CID.parse(fixture.envelopes[name]!.cid);
  let parties: Record<string, Party>;
  let resolver: IdentityResolver;

  beforeAll(async () => {
    parties = {};
    for (const [name, p] of Object.entries(fixture.parties)) {
      const secrets = await generateIdentitySecrets(core.bls, hex(p.seed));
      const identity = await readIdentity(core.bls, hex(p.identity));
      expect(identity.value.keys.bls).toEqual(await core.bls.skToPk(secrets.bls));
      parties[name] = { secrets, identity, cid: identity.cid };
    }
    resolver = resolverOf(Object.values(parties).map((p) => p.identity));
  });

  it('a sealed one verifies and opens for each recipient (the legacy reader); a required commitment refuses it', async () => {
    const env = await verifyEnvelope(core.bls, bytesOf('sealed'), resolver, { expected: cidOf('sealed') });
    expect(env.value.header.version).toBe(1);
    for (const name of ['bob', 'carol']) {
      expect(openEnvelope(env, opener(parties[name]!))).toEqual(fixture.envelopes.sealed!.content);
      expect(await errorName(() => openEnvelope(env, opener(parties[name]!), { requireCommitment: true }))).toBe(
        'KeyCommitmentError',
      );
    }
  });

  it('a plain one verifies and reads, also where a commitment is required (a plain body has no key)', async () => {
    const env = await verifyEnvelope(core.bls, bytesOf('plain'), resolver, { expected: cidOf('plain') });
    expect(openEnvelope(env, opener(parties.bob!), { requireCommitment: true })).toEqual(
      fixture.envelopes.plain!.content,
    );
  });

  it('a version 1 order goes on with version 2 steps; a chain never steps back from 2 to 1', async () => {
    const { alice: principal, bob: beneficiary, node } = parties as Record<string, Party>;
    const blocks = new MemoryBlocks();
    const order = blocks.put(bytesOf('order'));
    const reply = blocks.put(bytesOf('reply'));
    expect(await verifyChain(core.bls, blocks, reply, resolver)).toHaveLength(2);
    const replyOpened = openEnvelope(await verifyEnvelope(core.bls, bytesOf('reply'), resolver), opener(beneficiary!));
    expect(replyOpened).toMatchObject({ order: order.toString(), size: 9 });

    const redeem = await createEnvelope(core.bls, beneficiary!.secrets.bls, {
      type: 'safeguard/redeem',
      sender: beneficiary!.cid,
      recipients: [recipientOf(node!.identity)],
      previous: reply,
      order: order.toString(),
      created: 1_700_000_003_000,
      sealed: true,
      content: {},
    });
    const redeemReply = await createEnvelope(core.bls, node!.secrets.bls, {
      type: 'safeguard/redeem-reply',
      sender: node!.cid,
      recipients: [recipientOf(beneficiary!.identity)],
      previous: redeem.cid,
      order: order.toString(),
      created: 1_700_000_003_001,
      sealed: true,
      content: { ok: true },
    });
    blocks.put(redeem.bytes);
    const head = blocks.put(redeemReply.bytes);
    const steps = await verifyChain(core.bls, blocks, head, resolver);
    expect(steps.map((s) => s.value.header.version)).toEqual([1, 1, 2, 2]);

    // A version 1 step after the version 2 redemption: a downgrade to an envelope without commitment.
    const late = await sealVersion1(core, {
      sender: { cid: node!.cid, bls: node!.secrets.bls },
      recipients: [beneficiary!.identity, principal!.identity],
      type: 'safeguard/redeem-reply',
      previous: redeem.cid,
      order: order.toString(),
      created: 1_700_000_003_001,
      content: { ok: 'but different' },
    });
    const downgraded = blocks.put(late.bytes);
    expect(await errorName(() => verifyChain(core.bls, blocks, downgraded, resolver))).toBe('ChainError');
  });
});
