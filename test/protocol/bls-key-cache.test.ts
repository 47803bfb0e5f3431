// The validated-key cache and the signed part cut from an envelope's bytes: a key is validated the first time
// only, an invalid key is never kept and fails every time, the cache stays bounded, a worker-like BLS gets bytes,
// a tampered envelope still fails with its sender's key cached, and the cut signing input is the encoded one.
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CACHED_BLS_KEYS, validatedBlsKey, verifyBls } from '../../src/core/protocol/bls-key-cache.ts';
import {
  createEnvelope,
  decodeEnvelope,
  ENVELOPE_DOMAIN,
  type IdentityResolver,
  openEnvelope,
  recipientOf,
  resolverOf,
  signingInput,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import { signingInputOf } from '../../src/core/protocol/signing.ts';
import type { BlsSigner } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import { errorName, getCore, makeParty, type Party, tamper } from './helpers.ts';

let core: Core;
let alice: Party, bob: Party;
let identities: IdentityResolver;

beforeAll(async () => {
  core = await getCore();
  [alice, bob] = await Promise.all([makeParty(core, 'alice'), makeParty(core, 'bob')]);
  identities = resolverOf([alice.identity, bob.identity]);
});

/** A BLS over the same core that counts the keys it is asked to validate. */
function countingBls(): {
  bls: BlsSigner & Pick<Core['bls'], 'publicKey' | 'fastAggregateVerify'>;
  calls: () => number;
} {
  let n = 0;
  const bls = {
    skToPk: (sk: Uint8Array) => core.bls.skToPk(sk),
    sign: (sk: Uint8Array, msg: Uint8Array) => core.bls.sign(sk, msg),
    verify: (pk: Uint8Array, msg: Uint8Array, sig: Uint8Array) => core.bls.verify(pk, msg, sig),
    popProve: (sk: Uint8Array) => core.bls.popProve(sk),
    popVerify: (pk: Uint8Array, proof: Uint8Array) => core.bls.popVerify(pk, proof),
    publicKey: (pk: Uint8Array) => {
      n++;
      return core.bls.publicKey(pk);
    },
    fastAggregateVerify: core.bls.fastAggregateVerify,
  };
  return { bls, calls: () => n };
}

const sealedFor = (to: Party, content: unknown = { note: 'hi' }) =>
  createEnvelope(core.bls, alice.secrets.bls, {
    type: 'test/cache',
    sender: alice.cid,
    recipients: [recipientOf(to.identity)],
    sealed: true,
    content,
  });

describe('validated BLS keys', () => {
  it('validates a key once, then answers from the cache with the same handle', () => {
    const { bls, calls } = countingBls();
    const first = validatedBlsKey(bls, alice.identity.value.keys.bls);
    const again = validatedBlsKey(bls, alice.identity.value.keys.bls.slice());
    expect(again).toBe(first);
    expect(calls()).toBe(1);
  });

  it('never keeps an invalid key: it fails with the same error every time', () => {
    const { bls, calls } = countingBls();
    const bad = alice.identity.value.keys.bls.slice();
    bad[47]! ^= 1; // a point not on the curve, or not in G1, for every such key
    const names = [0, 1, 2].map(() => {
      try {
        validatedBlsKey(bls, bad);
        return 'accepted';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(new Set(names).size).toBe(1);
    expect(names[0]).not.toBe('accepted');
    expect(calls()).toBe(3);
  });

  it(`keeps at most ${MAX_CACHED_BLS_KEYS} keys, dropping the least recently used`, () => {
    const { bls, calls } = countingBls();
    const keys = Array.from({ length: MAX_CACHED_BLS_KEYS + 1 }, (_, i) => {
      const ikm = new Uint8Array(32).fill(7);
      new DataView(ikm.buffer).setUint32(0, i);
      return core.bls.skToPk(core.bls.keygen(ikm));
    });
    expect(new Set(keys.map((k) => k.join())).size).toBe(keys.length);
    for (const k of keys.slice(0, MAX_CACHED_BLS_KEYS)) validatedBlsKey(bls, k);
    validatedBlsKey(bls, keys[0]!); // now the most recently used
    validatedBlsKey(bls, keys[MAX_CACHED_BLS_KEYS]!); // pushes out keys[1]
    expect(calls()).toBe(MAX_CACHED_BLS_KEYS + 1);
    validatedBlsKey(bls, keys[0]!);
    expect(calls()).toBe(MAX_CACHED_BLS_KEYS + 1);
    validatedBlsKey(bls, keys[1]!);
    expect(calls()).toBe(MAX_CACHED_BLS_KEYS + 2);
  });

  it('gives bytes to a BLS without handles (as a worker proxy is), with the same answers', async () => {
    const env = await sealedFor(bob);
    const msg = signingInput(ENVELOPE_DOMAIN, { header: env.value.header, body: env.value.body });
    const pk = alice.identity.value.keys.bls;
    const remote: BlsSigner = { ...core.bls, verify: async (p, m, s) => core.bls.verify(p, m, s) };
    delete (remote as Partial<Core['bls']>).publicKey;
    expect(await verifyBls(remote, pk, msg, env.value.signature)).toBe(true);
    expect(await verifyBls(core.bls, pk, msg, env.value.signature)).toBe(true);
    const other = new Uint8Array(msg);
    other[other.length - 1]! ^= 1;
    expect(await verifyBls(remote, pk, other, env.value.signature)).toBe(false);
    expect(await verifyBls(core.bls, pk, other, env.value.signature)).toBe(false);
  });

  it('gives bytes to core.bls behind a real comlink proxy (which answers every property with a callable)', async () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(core.bls, nodeEndpoint(port1));
    const remote = Comlink.wrap<Core['bls']>(nodeEndpoint(port2)) as unknown as BlsSigner;
    try {
      const env = await sealedFor(bob);
      const opened = await verifyEnvelope(remote, env.bytes, identities);
      expect(opened.cid.equals(env.cid)).toBe(true);
      const forged = tamper(env.bytes, (d) => {
        d.header.created += 1;
      });
      expect(await errorName(() => verifyEnvelope(remote, forged, identities))).toBe('SignatureError');
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('envelopes with the sender key cached', () => {
  it('still refuse a tampered body, header or signature after the key was validated', async () => {
    const env = await sealedFor(bob);
    const opened = openEnvelope(await verifyEnvelope(core.bls, env.bytes, identities), {
      cid: bob.cid,
      xwing: bob.secrets.xwing,
    });
    expect(opened).toEqual({ note: 'hi' });
    const other = await sealedFor(bob, { note: 'other' });
    const variants = [
      tamper(env.bytes, (d) => {
        d.header.created += 1;
      }),
      tamper(env.bytes, (d) => {
        d.body.sealed.ciphertext[0] ^= 1;
      }),
      tamper(env.bytes, (d) => {
        d.signature = other.value.signature;
      }),
    ];
    for (const bytes of variants) {
      expect(await errorName(() => verifyEnvelope(core.bls, bytes, identities))).toBe('SignatureError');
    }
  });
});

describe('the signed part cut from canonical bytes', () => {
  it('equals DOMAIN || DAG-CBOR({header, body}) for plain and sealed envelopes', async () => {
    const plain = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'test/plain',
      sender: alice.cid,
      content: { list: [1, 2, 3], text: 'x'.repeat(300) },
    });
    for (const env of [plain, await sealedFor(bob)]) {
      const decoded = decodeEnvelope(env.bytes);
      const encoded = signingInput(ENVELOPE_DOMAIN, { header: decoded.value.header, body: decoded.value.body });
      expect(signingInputOf(ENVELOPE_DOMAIN, env.bytes, 3)).toEqual(encoded);
    }
  });

  it('is undefined when the last field is not a 96-byte signature, or the field count is not the map size', () => {
    const bytes = Uint8Array.of(0xa2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x02);
    expect(signingInputOf(ENVELOPE_DOMAIN, bytes, 2)).toBeUndefined();
    expect(signingInputOf(ENVELOPE_DOMAIN, alice.identity.bytes, 99)).toBeUndefined();
  });
});
