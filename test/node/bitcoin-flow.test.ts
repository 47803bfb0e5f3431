// The bitcoin flow end to end with three nodes, each with its own home, keystore and Helia: a principal, a
// fiduciary and a beneficiary (the principal and the beneficiary peer with the fiduciary only, and are never
// registered with it). The beneficiary publishes a key statement (its tpub and a path, signed by its identity);
// the principal orders an address with it; both check the fiduciary's reply (proof of knowledge of f, F + B,
// addresses, commitment) — the beneficiary from the chain in its own Helia. The fiduciary restarts; a retried
// order gets the same reply and the same share. The beneficiary redeems, adds its own share, obtains the key
// of the committed address and signs a spend that our own BIP-341 checks accept. Bad input is refused with 4xx
// and leaves nothing behind.
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession, SentRequest } from '../../src/core/api/session.ts';
import { openEnvelope } from '../../src/core/protocol/index.ts';
import { addressOf, addressToScript } from '../../src/plugins/bitcoin/address.ts';
import { deriveKey, masterKeyFromMnemonic } from '../../src/plugins/bitcoin/bip32.ts';
import { commitmentDetails } from '../../src/plugins/bitcoin/details.ts';
import { generateShare, parsePublicKey, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { beneficiarySecretFromHd, recoverPrivateKey, verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import type { OrderReply } from '../../src/plugins/bitcoin/schema.ts';
import { signSpend } from '../../src/plugins/bitcoin/spend.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import { verifySpend } from '../../src/plugins/bitcoin/verify.ts';
import {
  chainSeenBy,
  clientIdentity,
  clientOf,
  type RunningNode,
  sharedCore,
  startInProcess,
  startThreeNodes,
  tempDir,
} from './harness.ts';

const regtest = network('regtest');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let tmp: { dir: string; cleanup: () => Promise<void> };
let principal: RunningNode, fiduciary: RunningNode, beneficiary: RunningNode;
let p: NodeSession, b: NodeSession;

// The beneficiary's wallet: a fresh mnemonic, the BIP-86 account m/86'/1'/0' on regtest; only its tpub leaves.
const mnemonic = generateMnemonic(english, 128);
const account = deriveKey(masterKeyFromMnemonic(mnemonic, '', regtest), "m/86'/1'/0'");

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function startFiduciary(): Promise<void> {
  fiduciary = await startInProcess(join(tmp.dir, 'fiduciary'));
  p = await clientOf(fiduciary.url, principal.self);
  b = await clientOf(fiduciary.url, beneficiary.self);
}

beforeAll(async () => {
  tmp = await tempDir('dta-bitcoin-');
  ({ principal, fiduciary, beneficiary } = await startThreeNodes(tmp.dir));
  p = await clientOf(fiduciary.url, principal.self);
  b = await clientOf(fiduciary.url, beneficiary.self);
});

afterAll(async () => {
  for (const n of [principal, beneficiary, fiduciary]) await n?.close();
  await tmp?.cleanup();
});

describe('bitcoin: principal, fiduciary and beneficiary nodes', () => {
  let orderId: string;
  let orderRequest: SentRequest;
  let firstReply: { cid: string; envelope: string };
  let shown: OrderReply;

  it("the principal orders an address for the beneficiary's signed key; both check the reply", async () => {
    const core = await sharedCore();
    const statement = await createKeyStatement(core.bls, beneficiary.self.secrets.bls, beneficiary.rt.identity.cid, {
      network: 'regtest',
      xpub: account.publicExtendedKey,
      path: '0/0',
    });
    const env = await p.request({
      type: 'bitcoin/order',
      content: { network: 'regtest', addressType: 'p2tr', beneficiaryKey: statement },
    });
    const reply = (await p.postOrder(env)).reply;
    expect(reply.replayed).toBe(false);
    orderId = reply.order;
    orderRequest = env;
    firstReply = reply;
    expect(orderId).toBe(env.cid.toString());
    // The principal checks the reply against what it asked (and learns the address).
    shown = verifyOrderReply(await p.openReply(reply, env.cid), {
      order: orderId,
      network: 'regtest',
      addressType: 'p2tr',
      xpub: account.publicExtendedKey,
      path: '0/0',
    });
    expect(shown.address.startsWith('bcrt1p')).toBe(true);
    // The fiduciary records the statement's signer as the beneficiary.
    const { order } = await p.api.order(orderId);
    expect(order.beneficiary).toBe(beneficiary.rt.identity.cid.toString());
    expect(await fiduciary.rt.identities.isRegistered(beneficiary.rt.identity.cid)).toBe(false);

    // The beneficiary, told the order id, reads the chain from its own Helia and checks the reply sealed to it.
    const seen = await chainSeenBy(beneficiary, reply.cid);
    expect(seen.map((s) => s.value.header.type)).toEqual(['bitcoin/order', 'bitcoin/order-reply']);
    const forMe = openEnvelope(seen[1]!, {
      cid: beneficiary.rt.identity.cid,
      xwing: beneficiary.rt.home.secrets.xwing,
    });
    const mine = verifyOrderReply(forMe, { order: orderId, xpub: account.publicExtendedKey, path: '0/0' });
    expect(mine.address).toBe(shown.address);
    // Neither party alone holds the key: the address is not the beneficiary's own key's address.
    expect(shown.address).not.toBe(
      addressOf('p2tr', parsePublicKey(deriveKey(account, '0/0').publicKey, 'b'), regtest),
    );
  });

  it("the plugin routes show what the plugin supports, and a commitment's details to the order's parties only", async () => {
    const info = await getJson(`${fiduciary.url}/v1/plugins/bitcoin/`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      plugin: 'bitcoin',
      networks: ['mainnet', 'testnet', 'regtest'],
      addressTypes: ['p2wpkh', 'p2tr'],
    });
    const expected = {
      order: orderId,
      network: 'regtest',
      addressType: 'p2tr',
      fiduciaryPublicKey: shown.fiduciaryPublicKey,
      commitment: shown.commitment,
      proof: shown.proof,
    };
    expect(await commitmentDetails(p, orderId)).toEqual(expected);
    expect(await commitmentDetails(b, orderId)).toEqual(expected);
    // Anyone else, signed or not, learns nothing.
    const stranger = await clientOf(fiduciary.url, await clientIdentity('stranger'));
    await stranger.register();
    await expect(commitmentDetails(stranger, orderId)).rejects.toMatchObject({ status: 403, code: 'not_party' });
    expect((await getJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/${orderId}`)).status).toBe(404); // no unsigned read
    const unsigned = await postJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/${orderId}`, {});
    expect(unsigned.status).toBe(400);
    expect(JSON.stringify(unsigned.body)).not.toContain(hex(shown.fiduciaryPublicKey));
    // A request for another order than the path's, and a replayed one, are refused.
    const other = await p.request({
      type: 'bitcoin/details',
      content: { order: 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje' },
    });
    const mismatched = await postJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/${orderId}`, {
      envelope: Buffer.from(other.bytes).toString('base64'),
    });
    expect(mismatched).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const asked = await p.request({ type: 'bitcoin/details', content: { order: orderId } });
    const body = { envelope: Buffer.from(asked.bytes).toString('base64') };
    expect((await postJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/${orderId}`, body)).status).toBe(200);
    expect((await postJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/${orderId}`, body)).body).toMatchObject({
      error: { code: 'replay' },
    });
    expect((await postJson(`${fiduciary.url}/v1/plugins/bitcoin/orders/not-a-cid`, body)).body).toMatchObject({
      error: { code: 'bad_request' },
    });
    const unknown = (await p.request({ type: 'bitcoin/order', content: {} })).cid.toString();
    await expect(commitmentDetails(p, unknown)).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('after a restart of the fiduciary, the retried order gets the same reply and the same share', async () => {
    await fiduciary.close();
    await startFiduciary();
    const again = (await p.postOrder(orderRequest)).reply;
    expect(again.replayed).toBe(true);
    expect(again.cid).toBe(firstReply.cid);
    expect(again.envelope).toBe(firstReply.envelope);
    expect((await commitmentDetails(p, orderId)).fiduciaryPublicKey).toEqual(shown.fiduciaryPublicKey);
  });

  it('only the beneficiary redeems; it adds its share, owns the committed address and spends from it', async () => {
    await expect(p.redeem('bitcoin', orderId)).rejects.toMatchObject({ status: 403, code: 'not_beneficiary' });
    const redeemed = await b.redeem('bitcoin', orderId);
    expect(redeemed.reply.status).toBe('redeemed');
    const key = recoverPrivateKey(shown, redeemed.content, beneficiarySecretFromHd(account, '0/0'));
    expect(key.address).toBe(shown.address);
    expect(hex(key.publicKey)).toBe(hex(shown.publicKey));

    // The redeem reply is sealed to the beneficiary alone.
    const { history } = await p.api.order(orderId);
    expect(history.map((h) => h.type)).toEqual([
      'bitcoin/order',
      'bitcoin/order-reply',
      'bitcoin/redeem',
      'bitcoin/redeem-reply',
    ]);
    await expect(p.openReply(redeemed.reply)).rejects.toThrow(/not addressed/);

    // Spend a (pretend) 1 BTC output of the address; nothing here broadcasts, our BIP-341 checks verify it.
    const to = addressOf('p2wpkh', parsePublicKey(publicKeyOf(generateShare()), 'to'), regtest);
    const spend = signSpend({
      privateKey: key.privateKey,
      addressType: 'p2tr',
      network: 'regtest',
      to,
      amount: 99_990_000n,
      fee: 10_000n,
      utxos: [{ txid: '1f'.repeat(32), vout: 0, amount: 100_000_000n }],
    });
    const tx = verifySpend(hexToBytes(spend.hex), spend.prevouts);
    expect(tx.outputs).toEqual([{ amount: 99_990_000n, script: addressToScript(to, regtest) }]);
    expect(hex(spend.prevouts[0]!.script)).toBe(hex(addressToScript(shown.address, regtest)));
  });

  it("a named beneficiary's raw key is refused; a P2WPKH order for its signed single key completes", async () => {
    const bShare = generateShare();
    const raw = p.order('bitcoin', {
      network: 'regtest',
      addressType: 'p2wpkh',
      beneficiary: beneficiary.rt.identity.cid,
      beneficiaryPublicKey: publicKeyOf(bShare),
    });
    await expect(raw).rejects.toMatchObject({ status: 400, code: 'key_statement_required' });
    const core = await sharedCore();
    const statement = await createKeyStatement(core.bls, beneficiary.self.secrets.bls, beneficiary.rt.identity.cid, {
      network: 'regtest',
      beneficiaryPublicKey: publicKeyOf(bShare),
    });
    const ordered = await p.order('bitcoin', { network: 'regtest', addressType: 'p2wpkh', beneficiaryKey: statement });
    const order = verifyOrderReply(ordered.content, {
      order: ordered.reply.order,
      beneficiaryPublicKey: publicKeyOf(bShare),
      beneficiaryKey: statement,
    });
    const redeemed = await b.redeem('bitcoin', ordered.reply.order);
    const key = recoverPrivateKey(order, redeemed.content, bShare);
    expect(key.address.startsWith('bcrt1q')).toBe(true);
    const spend = signSpend({
      privateKey: key.privateKey,
      addressType: 'p2wpkh',
      network: 'regtest',
      to: key.address,
      amount: 5_000n,
      fee: 200n,
      utxos: [{ txid: '2e'.repeat(32), vout: 1, amount: 5_200n }],
    });
    verifySpend(hexToBytes(spend.hex), spend.prevouts);
  });

  it('bad orders get a 4xx JSON error, commit nothing, and the node keeps serving', async () => {
    const B = publicKeyOf(generateShare());
    const offCurve = Buffer.from('020000000000000000000000000000000000000000000000000000000000000007', 'hex');
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: new Uint8Array(offCurve) },
        400,
        'invalid_point',
      ],
      [{ network: 'signet', addressType: 'p2tr', beneficiaryPublicKey: B }, 400, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', xpub: account.privateExtendedKey, path: '0' }, 400, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', xpub: account.publicExtendedKey, path: "0'" }, 400, 'bad_request'],
      [{ network: 'mainnet', addressType: 'p2tr', xpub: account.publicExtendedKey, path: '0' }, 400, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B, extra: true }, 400, 'bad_request'],
    ];
    for (const [content, status, code] of cases) {
      const env = await p.request({ type: 'bitcoin/order', content });
      const err = await p.postOrder(env).then(
        () => undefined,
        (e: unknown) => e as { status: number; code: string; message: string },
      );
      expect(err, JSON.stringify(Object.keys(content))).toMatchObject({ status, code });
      expect(err!.message).not.toContain(account.privateExtendedKey.slice(4, 30)); // an xprv sent by mistake is never echoed
      expect((await getJson(`${fiduciary.url}/v1/orders/${env.cid}`)).status).toBe(404);
      await expect(commitmentDetails(p, env.cid.toString())).rejects.toMatchObject({ status: 404 });
    }
    expect((await fetch(`${fiduciary.url}/v1/status`)).status).toBe(200);
  });
});
