/**
 * The bitcoin DtaPlugin called the way the node's host calls it: real
 * identities and real signed (and sealed) envelopes from the protocol
 * library, opened as the node; a put-once in-memory keystore with the
 * semantics of src/node/keystore/types.ts. Checks idempotency (a retried
 * order, a "restarted" plugin), the beneficiary rule, and that bad input
 * changes nothing. The end-to-end run over HTTP with three nodes is
 * bitcoin-flow.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CID } from 'multiformats/cid';
import { createCore } from '../../src/core/index.ts';
import * as dta from '../../src/core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import type { ScopedKeystore } from '../../src/node/keystore/types.ts';
import { deriveKey, masterKeyFromMnemonic } from '../../src/plugins/bitcoin/bip32.ts';
import { beneficiarySecretFromHd, recoverPrivateKey, verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import { BitcoinError } from '../../src/plugins/bitcoin/errors.ts';
import { bitcoinPlugin } from '../../src/node/plugins/bitcoin/index.ts';
import { generateShare, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import type { OpenedRequest, OrderRecord, PluginContext } from '../../src/node/plugins/types.ts';

/** Put-once semantics: the same bytes again is a no-op, other bytes throw. Counts writes. */
class MemoryKeystore implements ScopedKeystore {
  readonly entries = new Map<string, Uint8Array>();
  puts = 0;
  async put(name: string, secret: Uint8Array): Promise<void> {
    const old = this.entries.get(name);
    if (old && Buffer.compare(old, secret) !== 0) throw Object.assign(new Error(`key exists: ${name}`), { name: 'KeyExistsError' });
    this.puts++;
    this.entries.set(name, Uint8Array.from(secret));
  }
  async get(name: string): Promise<Uint8Array | undefined> {
    const v = this.entries.get(name);
    return v && Uint8Array.from(v);
  }
  async has(name: string): Promise<boolean> {
    return this.entries.has(name);
  }
}

interface Actor { secrets: IdentitySecrets; id: Verified<IdentityDocument> }

let core: Core;
let node: Actor, principal: Actor, beneficiary: Actor, stranger: Actor;
const logs: string[] = [];

async function actor(name: string): Promise<Actor> {
  const secrets = await dta.generateIdentitySecrets(core.bls);
  return { secrets, id: await dta.createIdentity(core.bls, secrets, { name }) };
}

function context(keystore: ScopedKeystore, known: Actor[] = [node, principal, beneficiary]): PluginContext {
  return {
    core, node: node.id, keystore, identities: dta.resolverOf(known.map((a) => a.id)),
    log: { info: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields)}`), warn: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields)}`) },
  };
}

/** A request as the host hands it over: verified, opened as the node. */
async function request(from: Actor, type: string, content: unknown, extra: { order?: string; previous?: CID } = {}): Promise<OpenedRequest> {
  const env = await dta.createEnvelope(core.bls, from.secrets.bls, {
    type, sender: from.id.cid, recipients: [dta.recipientOf(node.id)], sealed: true, content, ...extra,
  });
  const checked = await dta.verifyEnvelope(core.bls, env.bytes, dta.resolverOf([from.id]));
  return { cid: checked.cid, header: checked.value.header, sender: checked.sender, content: dta.openEnvelope(checked, { cid: node.id.cid, xwing: node.secrets.xwing }) };
}

function record(orderReq: OpenedRequest, beneficiaryCid: CID): OrderRecord {
  const id = orderReq.cid.toString();
  return { id, plugin: 'bitcoin', principal: orderReq.header.sender.toString(), beneficiary: beneficiaryCid.toString(), head: id, history: [id], status: 'open', created: Date.now() };
}

async function errorOf(p: Promise<unknown>): Promise<BitcoinError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BitcoinError);
    return e as BitcoinError;
  }
  throw new Error('expected a BitcoinError');
}

beforeAll(async () => {
  core = await createCore();
  [node, principal, beneficiary, stranger] = await Promise.all(['fiduciary', 'principal', 'beneficiary', 'stranger'].map(actor)) as [Actor, Actor, Actor, Actor];
});

describe('bitcoin plugin: order', () => {
  it('commits one share per order, replies to principal and beneficiary, and a retry gets the same reply', async () => {
    const keystore = new MemoryKeystore();
    const b = generateShare();
    const content = { network: 'regtest', addressType: 'p2wpkh', beneficiary: beneficiary.id.cid, beneficiaryPublicKey: publicKeyOf(b) };
    const req = await request(principal, 'bitcoin/order', content);
    const reply = await bitcoinPlugin.order!(context(keystore), req);
    expect(reply.recipients.map(String)).toEqual([principal.id.cid.toString(), beneficiary.id.cid.toString()]);
    expect(reply.beneficiary?.toString()).toBe(beneficiary.id.cid.toString());
    expect([...keystore.entries.keys()]).toEqual([req.cid.toString()]);
    const checked = verifyOrderReply(reply.content, { order: req.cid, network: 'regtest', addressType: 'p2wpkh', beneficiaryPublicKey: publicKeyOf(b) });
    expect(checked.address.startsWith('bcrt1q')).toBe(true);
    // Retried (same request CID), and after a "restart" (a new context over the same keystore): same bytes.
    const again = await bitcoinPlugin.order!(context(keystore), req);
    expect(dta.encode(again.content)).toEqual(dta.encode(reply.content));
    expect(keystore.puts).toBe(1);
    // No secret in the logs.
    const share = keystore.entries.get(req.cid.toString())!;
    expect(logs.join('\n')).not.toMatch(/share|privateKey/i);
    expect(logs.join('\n')).not.toContain(Buffer.from(share).toString('hex').slice(0, 16));
  });

  it('concurrent attempts at the same order end with one share', async () => {
    const keystore = new MemoryKeystore();
    const req = await request(principal, 'bitcoin/order', { network: 'testnet', addressType: 'p2tr', beneficiaryPublicKey: publicKeyOf(generateShare()) });
    const replies = await Promise.all([1, 2, 3].map(() => bitcoinPlugin.order!(context(keystore), req)));
    const encoded = replies.map((r) => Buffer.from(dta.encode(r.content)).toString('hex'));
    expect(new Set(encoded).size).toBe(1);
    expect(keystore.entries.size).toBe(1);
  });

  it('the principal is the beneficiary when none is named; an xpub + path works', async () => {
    const keystore = new MemoryKeystore();
    const regtest = network('regtest');
    const account = deriveKey(masterKeyFromMnemonic('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about', '', regtest), "m/86'/1'/0'");
    const req = await request(principal, 'bitcoin/order', { network: 'regtest', addressType: 'p2tr', xpub: account.publicExtendedKey, path: '0/0' });
    const reply = await bitcoinPlugin.order!(context(keystore), req);
    expect(reply.recipients.map(String)).toEqual([principal.id.cid.toString()]);
    expect(reply.beneficiary?.toString()).toBe(principal.id.cid.toString());
    const order = verifyOrderReply(reply.content, { order: req.cid, xpub: account.publicExtendedKey, path: '0/0' });
    const redeem = await request(principal, 'bitcoin/redeem', {}, { order: req.cid.toString(), previous: req.cid });
    const released = await bitcoinPlugin.redeem!(context(keystore), record(req, principal.id.cid), redeem);
    const key = recoverPrivateKey(order, released.content, beneficiarySecretFromHd(account, '0/0'));
    expect(key.address).toBe(order.address);
  });

  it('bad input is refused with nothing committed', async () => {
    const keystore = new MemoryKeystore();
    const B = publicKeyOf(generateShare());
    const offCurve = Uint8Array.from(Buffer.from('020000000000000000000000000000000000000000000000000000000000000007', 'hex'));
    const cases: [unknown, string][] = [
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: offCurve }, 'invalid_point'],
      [{ network: 'signet', addressType: 'p2tr', beneficiaryPublicKey: B }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2sh', beneficiaryPublicKey: B }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B, note: 'x' }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', xpub: 'tpubnonsense', path: '0' }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B, beneficiary: stranger.id.cid }, 'bad_request'], // unknown identity
      ['just a string', 'bad_request'],
    ];
    for (const [content, code] of cases) {
      const err = await errorOf(bitcoinPlugin.order!(context(keystore), await request(principal, 'bitcoin/order', content)));
      expect(err.code, JSON.stringify(content, (_k, v) => (v instanceof Uint8Array ? 'bytes' : v))).toBe(code);
    }
    const wrongType = await request(principal, 'bitcoin/redeem', { network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B });
    expect((await errorOf(bitcoinPlugin.order!(context(keystore), wrongType))).code).toBe('bad_request');
    expect(keystore.entries.size).toBe(0);
  });
});

describe('bitcoin plugin: the beneficiary\'s own signed key statement', () => {
  const regtest = network('regtest');
  const account = deriveKey(masterKeyFromMnemonic('letter advice cage absurd amount doctor acoustic avoid letter advice cage above', '', regtest), "m/84'/1'/0'");

  it('makes the signer the beneficiary and its stated key B', async () => {
    const keystore = new MemoryKeystore();
    const statement = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, { network: 'regtest', xpub: account.publicExtendedKey, path: '0/3' });
    const req = await request(principal, 'bitcoin/order', { network: 'regtest', addressType: 'p2wpkh', beneficiaryKey: statement });
    const reply = await bitcoinPlugin.order!(context(keystore), req);
    expect(reply.beneficiary?.toString()).toBe(beneficiary.id.cid.toString());
    expect(reply.recipients.map(String)).toEqual([principal.id.cid.toString(), beneficiary.id.cid.toString()]);
    const order = verifyOrderReply(reply.content, { order: req.cid, xpub: account.publicExtendedKey, path: '0/3' });
    const released = await bitcoinPlugin.redeem!(context(keystore), record(req, beneficiary.id.cid),
      await request(beneficiary, 'bitcoin/redeem', {}, { order: req.cid.toString(), previous: req.cid }));
    expect(recoverPrivateKey(order, released.content, beneficiarySecretFromHd(account, '0/3')).address).toBe(order.address);
    expect(dta.encode(reply.content).length).toBeLessThan(2000); // the statement itself is not echoed
  });

  it('refuses statements that are forged, foreign, for another network or beneficiary, or not statements', async () => {
    const keystore = new MemoryKeystore();
    const key = { network: 'regtest' as const, beneficiaryPublicKey: publicKeyOf(generateShare()) };
    const good = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, key);
    const tampered = Uint8Array.from(good);
    tampered[tampered.length - 40]! ^= 1; // inside the signature
    const byStranger = await createKeyStatement(core.bls, stranger.secrets.bls, stranger.id.cid, key); // unknown to the node
    const mainnet = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, { ...key, network: 'mainnet' });
    const wrongType = (await dta.createEnvelope(core.bls, beneficiary.secrets.bls, { type: 'bitcoin/other', sender: beneficiary.id.cid, content: key })).bytes;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ beneficiaryKey: tampered }, /not a valid signed statement/],
      [{ beneficiaryKey: byStranger }, /not a valid signed statement/],
      [{ beneficiaryKey: mainnet }, /another network/],
      [{ beneficiaryKey: good, beneficiary: principal.id.cid }, /someone other than the beneficiary/],
      [{ beneficiaryKey: wrongType }, /type bitcoin\/key/],
      [{ beneficiaryKey: new Uint8Array([1, 2, 3]) }, /not a valid signed statement/],
      [{ beneficiaryKey: good, beneficiaryPublicKey: key.beneficiaryPublicKey }, /give one of/],
    ];
    for (const [fields, message] of cases) {
      const err = await errorOf(bitcoinPlugin.order!(context(keystore), await request(principal, 'bitcoin/order', { network: 'regtest', addressType: 'p2tr', ...fields })));
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(message);
    }
    await expect(createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, { network: 'regtest' })).rejects.toThrow(BitcoinError);
    expect(keystore.entries.size).toBe(0);
  });
});

describe('bitcoin plugin: redeem', () => {
  it('releases the committed share to the beneficiary only, sealed to it alone', async () => {
    const keystore = new MemoryKeystore();
    const b = generateShare();
    const orderReq = await request(principal, 'bitcoin/order', { network: 'mainnet', addressType: 'p2tr', beneficiary: beneficiary.id.cid, beneficiaryPublicKey: publicKeyOf(b) });
    const ordered = await bitcoinPlugin.order!(context(keystore), orderReq);
    const order = verifyOrderReply(ordered.content, { order: orderReq.cid, beneficiaryPublicKey: publicKeyOf(b) });
    const rec = record(orderReq, beneficiary.id.cid);
    const link = { order: rec.id, previous: orderReq.cid };

    const byPrincipal = await request(principal, 'bitcoin/redeem', {}, link);
    expect((await errorOf(bitcoinPlugin.redeem!(context(keystore), rec, byPrincipal))).code).toBe('not_beneficiary');
    const otherOrder = await request(beneficiary, 'bitcoin/redeem', { order: 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje' }, link);
    expect((await errorOf(bitcoinPlugin.redeem!(context(keystore), rec, otherOrder))).code).toBe('bad_request');
    const missing = { ...rec, id: (await request(principal, 'bitcoin/order', {})).cid.toString() };
    expect((await errorOf(bitcoinPlugin.redeem!(context(keystore), missing, await request(beneficiary, 'bitcoin/redeem', {}, link)))).code).toBe('not_found');

    const redeem = await request(beneficiary, 'bitcoin/redeem', { order: rec.id }, link);
    const released = await bitcoinPlugin.redeem!(context(keystore), rec, redeem);
    expect(released.recipients.map(String)).toEqual([beneficiary.id.cid.toString()]);
    const key = recoverPrivateKey(order, released.content, b);
    expect(key.address).toBe(order.address);
    expect(key.address.startsWith('bc1p')).toBe(true);
    expect(keystore.puts).toBe(1); // redemption commits nothing new
  });
});
