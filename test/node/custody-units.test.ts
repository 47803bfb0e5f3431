// The custody shared half on its own, in process: the group document (signed by its principal, read back; a
// changed field, another principal, t > n or a wrong number of commitments refused), the ciphertext (bound to its
// beneficiary and to k; named by a raw CID) and the reply checks of a share (wrong index, ciphertext or value).
import { CID } from 'multiformats/cid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { encode } from '../../src/core/protocol/cbor.ts';
import type { Core } from '../../src/core/types.ts';
import { ciphertextCid, decryptSecret, encryptSecret } from '../../src/plugins/custody/cipher.ts';
import { createGroup, indexOf, readGroup, type VerifiedGroup } from '../../src/plugins/custody/group.ts';
import { checkedShare } from '../../src/plugins/custody/reply.ts';
import { clientIdentity, sharedCore } from './harness.ts';

let core: Core;
let alice: KeyIdentity, bob: KeyIdentity, node: KeyIdentity;
const k = () => core.vss.random();

async function group(secret: Uint8Array, kk: Uint8Array, t = 2) {
  const dealing = core.vss.deal(kk, t, 3);
  const ciphertext = encryptSecret(kk, bob.identity.cid, secret);
  const nodes = [node.identity.cid, alice.identity.cid, bob.identity.cid]; // any three identities
  const g = await createGroup(
    {
      principal: alice.identity.cid,
      beneficiary: bob.identity.cid,
      nodes,
      t,
      commitments: dealing.commitments,
      ciphertext: ciphertextCid(ciphertext),
    },
    (m) => core.bls.sign(alice.secrets.bls, m),
  );
  return { g, dealing, ciphertext };
}

beforeAll(async () => {
  core = await sharedCore();
  [alice, bob, node] = (await Promise.all(['alice', 'bob', 'node'].map(clientIdentity))) as [
    KeyIdentity,
    KeyIdentity,
    KeyIdentity,
  ];
});

describe('custody group document', () => {
  it('reads back what the principal signed; refuses it changed, for another principal or out of shape', async () => {
    const { g } = await group(utf8('s'), k());
    const read = await readGroup(core.bls, g.bytes, async () => alice.identity, g.cid);
    expect([read.cid.equals(g.cid), read.value.t, indexOf(read.value, alice.identity.cid)]).toEqual([true, 2, 2]);
    expect(indexOf(read.value, CID.parse(g.cid.toString()))).toBeUndefined();
    const resigned = (value: object) => encode(value);
    const changed = resigned({ ...g.value, t: 3, commitments: [...g.value.commitments, g.value.commitments[0]!] });
    await expect(readGroup(core.bls, changed, async () => alice.identity)).rejects.toMatchObject({ code: 'bad_group' });
    await expect(readGroup(core.bls, g.bytes, async () => bob.identity)).rejects.toMatchObject({ code: 'bad_group' });
    const tooFew = resigned({ ...g.value, commitments: [g.value.commitments[0]!] });
    await expect(readGroup(core.bls, tooFew, async () => alice.identity)).rejects.toMatchObject({ code: 'malformed' });
    await expect(readGroup(core.bls, g.bytes, async () => alice.identity, bob.identity.cid)).rejects.toMatchObject({
      code: 'mismatch',
    });
    await expect(
      createGroup({ ...g.value, t: 4, commitments: [] }, (m) => core.bls.sign(alice.secrets.bls, m)),
    ).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('custody ciphertext', () => {
  it('opens only with k and for the beneficiary it was made for', () => {
    const kk = k();
    const c = encryptSecret(kk, bob.identity.cid, utf8('the secret'));
    expect(new TextDecoder().decode(decryptSecret(kk, bob.identity.cid, c))).toBe('the secret');
    expect(() => decryptSecret(kk, alice.identity.cid, c)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(() => decryptSecret(k(), bob.identity.cid, c)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(ciphertextCid(c).code).toBe(0x55);
  });
});

describe('custody share check', () => {
  it('accepts the dealt share and names what is wrong with another', async () => {
    const { g, dealing, ciphertext } = await group(utf8('s'), k());
    const verified: VerifiedGroup = g;
    const reply = (index: number, share: Uint8Array, c = ciphertext) => ({
      order: 'o',
      group: g.cid,
      groupDocument: g.bytes,
      index,
      share,
      ciphertext: c,
    });
    const share2 = dealing.shares[1]!.value;
    expect(checkedShare(core, verified, 2, reply(2, share2))).toEqual({ share: { index: 2, value: share2 } });
    expect(checkedShare(core, verified, 2, reply(3, share2))).toEqual({ wrong: expect.stringMatching(/index 3/) });
    expect(checkedShare(core, verified, 2, reply(2, share2, utf8('another')))).toEqual({
      wrong: 'sent another ciphertext',
    });
    expect(checkedShare(core, verified, 2, reply(2, dealing.shares[0]!.value))).toEqual({
      wrong: 'sent a share that fails the commitments',
    });
    expect(checkedShare(core, verified, 2, reply(2, new Uint8Array(32).fill(0xff)))).toEqual({
      wrong: 'sent a share that fails the commitments',
    });
  });
});
