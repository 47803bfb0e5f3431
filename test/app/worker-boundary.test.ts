/**
 * What crosses from the app worker to the page (issue 17, "secrets only in the worker"), on the worker's own API
 * modules in-process: a reply that carries a share or a released secret is verified but not opened for the page;
 * bitcoin.recover takes no reply contents (a page could otherwise choose f and learn b = k - f); M-Pin takes a
 * reply only when the node named signed it and it answers the request named; a PIN token is kept sealed under its
 * identity, opens for that identity only, and goes with it. The types of what the page gets carry no share, x,
 * client secret or token.
 */
import 'fake-indexeddb/auto';
import type { CID } from 'multiformats/cid';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { equalBytes, randomBytes } from '../../src/core/bytes.ts';
import { encode } from '../../src/core/protocol/cbor.ts';
import { createEnvelope, recipientOf } from '../../src/core/protocol/envelope.ts';
import { createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import { bitcoinApi } from '../../src/worker/api/bitcoin.ts';
import { mpinApi } from '../../src/worker/api/mpin.ts';
import { protocolApi } from '../../src/worker/api/protocol.ts';
import type { BitcoinRecovered, MpinLoginAnswer, MpinRegistered, OpenedEnvelope } from '../../src/worker/api/types.ts';
import { tokenStore } from '../../src/worker/mpin/token-store.ts';
import { createVault, type FreshConfirmation, type Session } from '../../src/worker/vault/vault.ts';
import { sharedCore } from '../node/harness.ts';

async function identity(name: string): Promise<Session> {
  const core = await sharedCore();
  const secrets = await generateIdentitySecrets(core.bls);
  return { identity: await createIdentity(core.bls, secrets, { name }), secrets };
}

/** An envelope of `type` from `from`, sealed to `to`, answering `previous` in `order`. */
async function sealedFrom(from: Session, to: Session, type: string, content: unknown, previous: CID) {
  const core = await sharedCore();
  return createEnvelope(core.bls, from.secrets.bls, {
    type,
    sender: from.identity.cid,
    recipients: [recipientOf(to.identity)],
    previous,
    order: previous.toString(),
    content,
    sealed: true,
  });
}

describe('the page gets no share from the worker', () => {
  it('protocol.openEnvelope verifies a share-carrying reply but withholds its content; others open', async () => {
    const core = await sharedCore();
    const [me, node] = [await identity('me'), await identity('node')];
    const protocol = protocolApi({ bls: core.bls, session: () => me, maybeSession: () => me });
    const request = (await sealedFrom(me, node, 'mpin/order', { issue: 'client-secret' }, me.identity.cid)).cid;
    const opts = { identities: [node.identity.bytes] };
    for (const type of ['mpin/order-reply', 'bitcoin/redeem-reply', 'safeguard/redeem-reply', 'custody/redeem-reply']) {
      const env = await sealedFrom(node, me, type, { share: randomBytes(97) }, request);
      const opened: OpenedEnvelope = await protocol.openEnvelope(env.bytes, opts);
      expect([opened.info.type, opened.info.toMe, opened.withheld, opened.content]).toEqual([
        type,
        true,
        true,
        undefined,
      ]);
    }
    const plain = await sealedFrom(node, me, 'safeguard/order-reply', { note: 'public' }, request);
    const opened = await protocol.openEnvelope(plain.bytes, opts);
    expect(opened.withheld).toBeUndefined();
    expect(opened.content).toEqual(encode({ note: 'public' }));
  });

  it('bitcoin.recover refuses opened contents handed in by the page (a chosen f), before any key is derived', async () => {
    const core = await sharedCore();
    const me = await identity('me');
    const bitcoin = bitcoinApi({ bls: core.bls, session: () => me, confirmFresh: async () => undefined });
    const order = me.identity.cid.toString();
    const old = { order, network: 'regtest', index: 0, orderReply: encode({}), redeemReply: encode({}) };
    await expect(bitcoin.recover(old as never)).rejects.toMatchObject({
      name: 'SecretBoundaryError',
      message: expect.stringMatching(/takes no orderReply, redeemReply/),
    });
    const node = { url: 'http://127.0.0.1:9', identity: order };
    await expect(
      bitcoin.recover({ node, order, network: 'regtest', index: 0, fiduciaryShare: randomBytes(32) } as never),
    ).rejects.toMatchObject({ name: 'SecretBoundaryError' });
  });

  it('bitcoin.recover reveals the key only on a fresh confirmation, checked before the node is asked', async () => {
    const core = await sharedCore();
    const vault = await createVault({ bls: core.bls, dbName: `boundary-${process.pid}-reveal` });
    const bitcoin = bitcoinApi({ bls: core.bls, session: vault.session, confirmFresh: vault.confirmFresh });
    const refusal = { name: 'SecretBoundaryError', message: expect.stringMatching(/needs a fresh confirmation/) };
    const recover = async (confirmation?: FreshConfirmation) => {
      const me = vault.session().identity.cid.toString();
      const node = { url: 'http://127.0.0.1:9', identity: me }; // nothing listens: a confirmed call fails there
      return bitcoin.recover({ node, order: me, network: 'regtest', index: 0, reveal: true, confirmation });
    };
    await vault.create('dora');
    await expect(recover()).rejects.toMatchObject(refusal);
    await expect(recover({ name: 'someone' })).rejects.toMatchObject(refusal);
    const typed = await recover({ name: 'dora' }).catch((e: Error) => e);
    expect(typed).toBeInstanceOf(Error);
    expect((typed as Error).message).not.toMatch(/confirmation/); // past the check: on to the (absent) node
    const first = { credentialId: randomBytes(16), rpId: 'localhost', salt: randomBytes(32), prf: randomBytes(32) };
    const stalePrf = first.prf.slice();
    await vault.addPasskey(first);
    const second = { ...first, credentialId: randomBytes(16), salt: randomBytes(32), prf: randomBytes(32) };
    const freshPrf = second.prf.slice();
    await vault.addPasskey(second);
    await expect(recover({ name: 'dora' })).rejects.toMatchObject(refusal); // a passkey identity: the passkey
    await expect(recover({ prf: stalePrf })).rejects.toMatchObject(refusal); // the replaced passkey's output
    const sent = freshPrf.slice();
    const confirmed = await recover({ prf: sent }).catch((e: Error) => e);
    expect((confirmed as Error).message).not.toMatch(/confirmation/);
    expect(sent.every((b) => b === 0)).toBe(true); // the worker's copy of the PRF output is wiped
  });

  it('M-Pin takes a reply only from the node named, answering the request named, sealed to us', async () => {
    const core = await sharedCore();
    const [me, node, other] = [await identity('me'), await identity('node'), await identity('other')];
    const mpin = mpinApi({ core, session: () => me, tokens: tokenStore(`boundary-${process.pid}-a`) });
    const request = (
      await sealedFrom(me, node, 'mpin/order', { issue: 'client-secret', enrolment: 1 }, me.identity.cid)
    ).cid;
    const reply = await sealedFrom(
      node,
      me,
      'mpin/order-reply',
      { issue: 'client-secret', share: randomBytes(97) },
      request,
    );
    const args = (r: Partial<{ node: Uint8Array; request: string; reply: Uint8Array }>) => ({
      registration: '00112233445566aa',
      enrolment: 1,
      pin: '1234',
      replies: [
        { node: node.identity.bytes, order: request.toString(), request: request.toString(), reply: reply.bytes, ...r },
      ],
    });
    // Signed by `node`, not by the identity the page says is the node.
    await expect(mpin.register(args({ node: other.identity.bytes }))).rejects.toMatchObject({
      name: 'UnknownIdentityError',
    });
    // Not the answer to the request named.
    await expect(mpin.register(args({ request: other.identity.cid.toString() }))).rejects.toMatchObject({
      name: 'SecretBoundaryError',
    });
    // A reply sealed to someone else.
    const theirs = await sealedFrom(node, other, 'mpin/order-reply', { issue: 'client-secret' }, request);
    await expect(mpin.register(args({ reply: theirs.bytes }))).rejects.toMatchObject({ name: 'SecretBoundaryError' });
    await expect(mpin.register({ ...args({}), pin: '12' })).rejects.toMatchObject({ name: 'SecretBoundaryError' });
  });

  it('a PIN token is sealed under its identity: not in the clear, opened by that identity only, gone with it', async () => {
    const [me, other] = [await identity('me'), await identity('other')];
    const name = `boundary-${process.pid}-b`;
    const tokens = tokenStore(name);
    const token = randomBytes(97);
    await tokens.put(me, '0123456789abcdef', token);
    const raw = await new Promise<{ iv: Uint8Array; ciphertext: Uint8Array; owner: string }>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const get = req.result.transaction('tokens').objectStore('tokens').get('0123456789abcdef');
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      };
    });
    expect(raw.owner).toBe(me.identity.cid.toString());
    expect(raw.ciphertext).toHaveLength(97 + 16);
    expect(equalBytes(raw.ciphertext.subarray(0, 97), token)).toBe(false);
    expect(equalBytes((await tokens.open(me, '0123456789abcdef'))!, token)).toBe(true);
    expect(await tokens.open(other, '0123456789abcdef')).toBeUndefined();
    await tokens.delete(other.identity.cid.toString(), '0123456789abcdef'); // not theirs: kept
    expect(await tokens.open(me, '0123456789abcdef')).toBeDefined();
    await tokens.deleteOwner(me.identity.cid.toString());
    expect(await tokens.open(me, '0123456789abcdef')).toBeUndefined();
  });

  it("a token a record kept before (legacy) is adopted sealed, the page's copy wiped; forget deletes it", async () => {
    const core = await sharedCore();
    const me = await identity('me');
    const tokens = tokenStore(`boundary-${process.pid}-c`);
    const mpin = mpinApi({ core, session: () => me, tokens });
    const legacy = randomBytes(97);
    const kept = Uint8Array.from(legacy);
    await mpin.adoptToken({ registration: 'aabbccddeeff0011', token: legacy });
    expect(legacy.every((b) => b === 0)).toBe(true);
    expect(equalBytes((await tokens.open(me, 'aabbccddeeff0011'))!, kept)).toBe(true);
    await mpin.forget('aabbccddeeff0011');
    expect(await tokens.open(me, 'aabbccddeeff0011')).toBeUndefined();
  });

  // Checked by tsc (npx tsc --noEmit covers test/): a field added to these types fails the build.
  it('what the page gets from M-Pin and Bitcoin recovery has no share, x, client secret or token', () => {
    // The server's public verdict and counts (a lockout's wait, the tries left): nothing derived from a secret.
    expectTypeOf<keyof MpinLoginAnswer>().toEqualTypeOf<'accepted' | 'reason' | 'retryAfter' | 'attemptsLeft'>();
    expectTypeOf<keyof MpinRegistered>().toEqualTypeOf<'threshold'>();
    expectTypeOf<keyof BitcoinRecovered>().toEqualTypeOf<
      'address' | 'publicKey' | 'network' | 'addressType' | 'head' | 'envelopes' | 'key'
    >();
    expectTypeOf<keyof NonNullable<BitcoinRecovered['key']>>().toEqualTypeOf<'privateKey' | 'wif'>();
  });
});
