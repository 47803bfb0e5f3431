/**
 * The bitcoin DtaPlugin called the way the node's host calls it: real
 * identities and real signed (and sealed) envelopes from the protocol
 * library, opened as the node; a put-once in-memory keystore with the
 * semantics of src/node/keystore/types.ts. Checks idempotency (a retried
 * order, a "restarted" plugin), the beneficiary rule, and that bad input
 * changes nothing. The end-to-end run over HTTP with three nodes is
 * bitcoin-flow.test.ts.
 */

import type { CID } from 'multiformats/cid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import * as dta from '../../src/core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import type { ScopedKeystore } from '../../src/node/keystore/types.ts';
import { decodeCommitted, encodeCommitted, orderReply } from '../../src/node/plugins/bitcoin/fiduciary.ts';
import { bitcoinPlugin } from '../../src/node/plugins/bitcoin/index.ts';
import { registerCommittedKeys } from '../../src/node/plugins/bitcoin/store.ts';
import type { OpenedRequest, OrderRecord, PluginContext } from '../../src/node/plugins/types.ts';
import { deriveKey, masterKeyFromMnemonic } from '../../src/plugins/bitcoin/bip32.ts';
import { BitcoinError } from '../../src/plugins/bitcoin/errors.ts';
import { generateShare, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { beneficiarySecretFromHd, recoverPrivateKey, verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import { checkEchoedStatement, createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';

/** Put-once semantics: the same bytes again is a no-op, other bytes throw. Counts writes. */
class MemoryKeystore implements ScopedKeystore {
  readonly entries = new Map<string, Uint8Array>();
  puts = 0;
  async put(name: string, secret: Uint8Array): Promise<void> {
    const old = this.entries.get(name);
    if (old && Buffer.compare(old, secret) !== 0)
      throw Object.assign(new Error(`key exists: ${name}`), { name: 'KeyExistsError' });
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
  async list(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((name) => name.startsWith(prefix)).sort();
  }
}

interface Actor {
  secrets: IdentitySecrets;
  id: Verified<IdentityDocument>;
}

let core: Core;
let node: Actor, principal: Actor, beneficiary: Actor, stranger: Actor;
const logs: string[] = [];

async function actor(name: string): Promise<Actor> {
  const secrets = await dta.generateIdentitySecrets(core.bls);
  return { secrets, id: await dta.createIdentity(core.bls, secrets, { name }) };
}

function context(keystore: ScopedKeystore, known: Actor[] = [node, principal, beneficiary]): PluginContext {
  return {
    core,
    node: node.id,
    keystore,
    identities: dta.resolverOf(known.map((a) => a.id)),
    log: {
      info: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields)}`),
      warn: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields)}`),
    },
  };
}

/** A request as the host hands it over: verified, opened as the node. */
async function request(
  from: Actor,
  type: string,
  content: unknown,
  extra: { order?: string; previous?: CID } = {},
): Promise<OpenedRequest> {
  const env = await dta.createEnvelope(core.bls, from.secrets.bls, {
    type,
    sender: from.id.cid,
    recipients: [dta.recipientOf(node.id)],
    sealed: true,
    content,
    ...extra,
  });
  const checked = await dta.verifyEnvelope(core.bls, env.bytes, dta.resolverOf([from.id]));
  return {
    cid: checked.cid,
    header: checked.value.header,
    sender: checked.sender,
    content: dta.openEnvelope(checked, { cid: node.id.cid, xwing: node.secrets.xwing }),
  };
}

function record(orderReq: OpenedRequest, beneficiaryCid: CID): OrderRecord {
  const id = orderReq.cid.toString();
  return {
    id,
    plugin: 'bitcoin',
    principal: orderReq.header.sender.toString(),
    beneficiary: beneficiaryCid.toString(),
    head: id,
    history: [id],
    status: 'open',
    created: Date.now(),
  };
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

/** The share a MemoryKeystore holds for an order (test only: a node never hands it out before redemption). */
function loadShare(keystore: MemoryKeystore, id: string): Uint8Array {
  return decodeCommitted(keystore.entries.get(id)!).share;
}

beforeAll(async () => {
  core = await createCore();
  [node, principal, beneficiary, stranger] = (await Promise.all(
    ['fiduciary', 'principal', 'beneficiary', 'stranger'].map(actor),
  )) as [Actor, Actor, Actor, Actor];
});

describe('bitcoin plugin: order', () => {
  it('commits one share per order, replies to principal and beneficiary, and a retry gets the same reply', async () => {
    const keystore = new MemoryKeystore();
    const b = generateShare();
    const statement = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      beneficiaryPublicKey: publicKeyOf(b),
    });
    const content = {
      network: 'regtest',
      addressType: 'p2wpkh',
      beneficiary: beneficiary.id.cid,
      beneficiaryKey: statement,
    };
    const req = await request(principal, 'bitcoin/order', content);
    const reply = await bitcoinPlugin.order!(context(keystore), req);
    expect(reply.recipients.map(String)).toEqual([principal.id.cid.toString(), beneficiary.id.cid.toString()]);
    expect(reply.beneficiary?.toString()).toBe(beneficiary.id.cid.toString());
    // The register of B (one order per B), then the share under the order id.
    expect([...keystore.entries.keys()]).toEqual([
      `key/${Buffer.from(publicKeyOf(b)).toString('hex')}`,
      req.cid.toString(),
    ]);
    const checked = verifyOrderReply(reply.content, {
      order: req.cid,
      network: 'regtest',
      addressType: 'p2wpkh',
      beneficiaryPublicKey: publicKeyOf(b),
    });
    expect(checked.address.startsWith('bcrt1q')).toBe(true);
    // Retried (same request CID), and after a "restart" (a new context over the same keystore): same bytes.
    const again = await bitcoinPlugin.order!(context(keystore), req);
    expect(dta.encode(again.content)).toEqual(dta.encode(reply.content));
    expect(keystore.puts).toBe(2); // B's register entry and the share, once each
    // No secret in the logs.
    const share = keystore.entries.get(req.cid.toString())!;
    expect(logs.join('\n')).not.toMatch(/share|privateKey/i);
    expect(logs.join('\n')).not.toContain(Buffer.from(share).toString('hex').slice(0, 16));
  });

  it('concurrent attempts at the same order end with one share', async () => {
    const keystore = new MemoryKeystore();
    const req = await request(principal, 'bitcoin/order', {
      network: 'testnet',
      addressType: 'p2tr',
      beneficiaryPublicKey: publicKeyOf(generateShare()),
    });
    const replies = await Promise.all([1, 2, 3].map(() => bitcoinPlugin.order!(context(keystore), req)));
    const encoded = replies.map((r) => Buffer.from(dta.encode(r.content)).toString('hex'));
    expect(new Set(encoded).size).toBe(1);
    expect([...keystore.entries.keys()].filter((k) => !k.startsWith('key/'))).toEqual([req.cid.toString()]);
    expect(keystore.entries.size).toBe(2); // one share, one register entry for its B
  });

  it('the principal is the beneficiary when none is named; an xpub + path works', async () => {
    const keystore = new MemoryKeystore();
    const regtest = network('regtest');
    const account = deriveKey(
      masterKeyFromMnemonic(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        '',
        regtest,
      ),
      "m/86'/1'/0'",
    );
    const req = await request(principal, 'bitcoin/order', {
      network: 'regtest',
      addressType: 'p2tr',
      xpub: account.publicExtendedKey,
      path: '0/0',
    });
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
    const offCurve = Uint8Array.from(
      Buffer.from('020000000000000000000000000000000000000000000000000000000000000007', 'hex'),
    );
    const cases: [unknown, string][] = [
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: offCurve }, 'invalid_point'],
      [{ network: 'signet', addressType: 'p2tr', beneficiaryPublicKey: B }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2sh', beneficiaryPublicKey: B }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B, note: 'x' }, 'bad_request'],
      [{ network: 'regtest', addressType: 'p2tr', xpub: 'tpubnonsense', path: '0' }, 'bad_request'],
      [
        { network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: B, beneficiary: stranger.id.cid },
        'key_statement_required',
      ], // a raw key for another
      ['just a string', 'bad_request'],
    ];
    for (const [content, code] of cases) {
      const err = await errorOf(
        bitcoinPlugin.order!(context(keystore), await request(principal, 'bitcoin/order', content)),
      );
      expect(
        err.code,
        JSON.stringify(content, (_k, v) => (v instanceof Uint8Array ? 'bytes' : v)),
      ).toBe(code);
    }
    const wrongType = await request(principal, 'bitcoin/redeem', {
      network: 'regtest',
      addressType: 'p2tr',
      beneficiaryPublicKey: B,
    });
    expect((await errorOf(bitcoinPlugin.order!(context(keystore), wrongType))).code).toBe('bad_request');
    expect(keystore.entries.size).toBe(0);
  });
});

describe("bitcoin plugin: the beneficiary's own signed key statement", () => {
  const regtest = network('regtest');
  const account = deriveKey(
    masterKeyFromMnemonic(
      'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
      '',
      regtest,
    ),
    "m/84'/1'/0'",
  );

  it('makes the signer the beneficiary and its stated key B', async () => {
    const keystore = new MemoryKeystore();
    const statement = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      xpub: account.publicExtendedKey,
      path: '0/3',
    });
    const req = await request(principal, 'bitcoin/order', {
      network: 'regtest',
      addressType: 'p2wpkh',
      beneficiaryKey: statement,
    });
    const reply = await bitcoinPlugin.order!(context(keystore), req);
    expect(reply.beneficiary?.toString()).toBe(beneficiary.id.cid.toString());
    expect(reply.recipients.map(String)).toEqual([principal.id.cid.toString(), beneficiary.id.cid.toString()]);
    const order = verifyOrderReply(reply.content, { order: req.cid, xpub: account.publicExtendedKey, path: '0/3' });
    const released = await bitcoinPlugin.redeem!(
      context(keystore),
      record(req, beneficiary.id.cid),
      await request(beneficiary, 'bitcoin/redeem', {}, { order: req.cid.toString(), previous: req.cid }),
    );
    expect(recoverPrivateKey(order, released.content, beneficiarySecretFromHd(account, '0/3')).address).toBe(
      order.address,
    );
    expect(dta.encode(reply.content).length).toBeLessThan(2000); // the statement is echoed, nothing more
  });

  it('refuses statements that are forged, foreign, for another network or beneficiary, or not statements', async () => {
    const keystore = new MemoryKeystore();
    const key = { network: 'regtest' as const, beneficiaryPublicKey: publicKeyOf(generateShare()) };
    const good = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, key);
    const tampered = Uint8Array.from(good);
    tampered[tampered.length - 40]! ^= 1; // inside the signature
    const byStranger = await createKeyStatement(core.bls, stranger.secrets.bls, stranger.id.cid, key); // unknown to the node
    const mainnet = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      ...key,
      network: 'mainnet',
    });
    const wrongType = (
      await dta.createEnvelope(core.bls, beneficiary.secrets.bls, {
        type: 'bitcoin/other',
        sender: beneficiary.id.cid,
        content: key,
      })
    ).bytes;
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
      const err = await errorOf(
        bitcoinPlugin.order!(
          context(keystore),
          await request(principal, 'bitcoin/order', { network: 'regtest', addressType: 'p2tr', ...fields }),
        ),
      );
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(message);
    }
    await expect(
      createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, { network: 'regtest' }),
    ).rejects.toThrow(BitcoinError);
    expect(keystore.entries.size).toBe(0);
  });
});

describe('bitcoin plugin: redeem', () => {
  it('releases the committed share to the beneficiary only, sealed to it alone', async () => {
    const keystore = new MemoryKeystore();
    const b = generateShare();
    const statement = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'mainnet',
      beneficiaryPublicKey: publicKeyOf(b),
    });
    const orderReq = await request(principal, 'bitcoin/order', {
      network: 'mainnet',
      addressType: 'p2tr',
      beneficiaryKey: statement,
    });
    const ordered = await bitcoinPlugin.order!(context(keystore), orderReq);
    const puts = keystore.puts;
    const order = verifyOrderReply(ordered.content, { order: orderReq.cid, beneficiaryPublicKey: publicKeyOf(b) });
    const rec = record(orderReq, beneficiary.id.cid);
    const link = { order: rec.id, previous: orderReq.cid };

    const byPrincipal = await request(principal, 'bitcoin/redeem', {}, link);
    expect((await errorOf(bitcoinPlugin.redeem!(context(keystore), rec, byPrincipal))).code).toBe('not_beneficiary');
    const otherOrder = await request(
      beneficiary,
      'bitcoin/redeem',
      { order: 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje' },
      link,
    );
    expect((await errorOf(bitcoinPlugin.redeem!(context(keystore), rec, otherOrder))).code).toBe('bad_request');
    const missing = { ...rec, id: (await request(principal, 'bitcoin/order', {})).cid.toString() };
    expect(
      (
        await errorOf(
          bitcoinPlugin.redeem!(context(keystore), missing, await request(beneficiary, 'bitcoin/redeem', {}, link)),
        )
      ).code,
    ).toBe('not_found');

    const redeem = await request(beneficiary, 'bitcoin/redeem', { order: rec.id }, link);
    const released = await bitcoinPlugin.redeem!(context(keystore), rec, redeem);
    expect(released.recipients.map(String)).toEqual([beneficiary.id.cid.toString()]);
    const key = recoverPrivateKey(order, released.content, b);
    expect(key.address).toBe(order.address);
    expect(key.address.startsWith('bc1p')).toBe(true);
    expect(keystore.puts).toBe(puts); // redemption commits nothing new
  });
});

describe("bitcoin plugin: the beneficiary's own key, expiring cards, one B per node (issue 16)", () => {
  const B = () => publicKeyOf(generateShare());
  const order = async (keystore: ScopedKeystore, content: Record<string, unknown>, from = principal) => {
    const req = await request(from, 'bitcoin/order', { network: 'regtest', addressType: 'p2wpkh', ...content });
    return { req, reply: await bitcoinPlugin.order!(context(keystore), req) };
  };

  it('an order naming another beneficiary with a raw B′ or an xpub is refused (key_statement_required, 400)', async () => {
    const keystore = new MemoryKeystore();
    const account = deriveKey(
      masterKeyFromMnemonic(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        '',
        network('regtest'),
      ),
      "m/86'/1'/0'",
    );
    for (const raw of [{ beneficiaryPublicKey: B() }, { xpub: account.publicExtendedKey, path: '0/1' }]) {
      const err = await errorOf(order(keystore, { beneficiary: beneficiary.id.cid, ...raw }));
      expect(err.code).toBe('key_statement_required');
      expect(err.status).toBe(400);
      expect(err.message).toMatch(/signed key statement/);
    }
    expect(keystore.entries.size).toBe(0);
    // Naming oneself with a raw key stays allowed (the principal's own key).
    await order(keystore, { beneficiary: principal.id.cid, beneficiaryPublicKey: B() });
  });

  it("the reply echoes the statement; the beneficiary accepts it only when it is its own and states the reply's B", async () => {
    const keystore = new MemoryKeystore();
    const key = B();
    const statement = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      beneficiaryPublicKey: key,
    });
    const { req, reply } = await order(keystore, { beneficiaryKey: statement });
    const checked = verifyOrderReply(reply.content, { order: req.cid, beneficiaryKey: statement });
    expect(checked.beneficiaryKey).toEqual(statement);
    expect(
      (await checkEchoedStatement(core.bls, checked.beneficiaryKey, beneficiary.id, checked)).beneficiary.toString(),
    ).toBe(beneficiary.id.cid.toString());
    // Someone else reading the same reply: not theirs.
    await expect(checkEchoedStatement(core.bls, checked.beneficiaryKey, stranger.id, checked)).rejects.toMatchObject({
      code: 'mismatch',
      message: expect.stringMatching(/not one of yours.*do not send funds/),
    });
    // A reply whose B is not the statement's, or with no statement: refused.
    await expect(
      checkEchoedStatement(core.bls, checked.beneficiaryKey, beneficiary.id, { ...checked, beneficiaryPublicKey: B() }),
    ).rejects.toMatchObject({ code: 'mismatch' });
    await expect(checkEchoedStatement(core.bls, undefined, beneficiary.id, checked)).rejects.toMatchObject({
      code: 'mismatch',
    });
    // The principal's check refuses a reply echoing another statement than its order carried.
    const other = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      beneficiaryPublicKey: B(),
    });
    expect(() => verifyOrderReply(reply.content, { order: req.cid, beneficiaryKey: other })).toThrow(
      /key statement echoed/,
    );
  });

  it('cards expire: an expired card, one without expiry and one good for more than a year are refused', async () => {
    const keystore = new MemoryKeystore();
    const now = Date.now();
    const expired = await createKeyStatement(
      core.bls,
      beneficiary.secrets.bls,
      beneficiary.id.cid,
      { network: 'regtest', beneficiaryPublicKey: B(), expires: now - 1000 },
      { now: now - 31 * 86_400_000 },
    );
    const e1 = await errorOf(order(keystore, { beneficiaryKey: expired }));
    expect(e1).toMatchObject({
      code: 'key_card_expired',
      status: 400,
      message: expect.stringMatching(/expired on \d{4}-\d\d-\d\d: ask the beneficiary for a new card/),
    });
    // A card made before cards expired (no `expires` field), as the old code signed it.
    const old = (
      await dta.createEnvelope(core.bls, beneficiary.secrets.bls, {
        type: 'bitcoin/key',
        sender: beneficiary.id.cid,
        content: { network: 'regtest', beneficiaryPublicKey: B() },
      })
    ).bytes;
    expect(await errorOf(order(keystore, { beneficiaryKey: old }))).toMatchObject({
      code: 'key_card_expired',
      message: expect.stringMatching(/no expiry/),
    });
    const forever = (
      await dta.createEnvelope(core.bls, beneficiary.secrets.bls, {
        type: 'bitcoin/key',
        sender: beneficiary.id.cid,
        content: { network: 'regtest', beneficiaryPublicKey: B(), expires: now + 400 * 86_400_000 },
      })
    ).bytes;
    expect(await errorOf(order(keystore, { beneficiaryKey: forever }))).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/366 days/),
    });
    await expect(
      createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
        network: 'regtest',
        beneficiaryPublicKey: B(),
        expires: now + 400 * 86_400_000,
      }),
    ).rejects.toThrow(/366 days/);
    expect(keystore.entries.size).toBe(0);
    // A fresh card is good for 30 days by default.
    const fresh = await createKeyStatement(
      core.bls,
      beneficiary.secrets.bls,
      beneficiary.id.cid,
      { network: 'regtest', beneficiaryPublicKey: B() },
      { now },
    );
    const content = dta.decodeEnvelope(fresh).value.body as { plain: { expires: number } };
    expect(content.plain.expires).toBe(now + 30 * 86_400_000);
  });

  it("one B per node: a second order with the same B is refused (key_reused, 409); the first one's retry is not", async () => {
    const keystore = new MemoryKeystore();
    const key = B();
    const card = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      beneficiaryPublicKey: key,
    });
    const first = await order(keystore, { beneficiaryKey: card });
    const again = await bitcoinPlugin.order!(context(keystore), first.req);
    expect(dta.encode(again.content)).toEqual(dta.encode(first.reply.content));
    const puts = keystore.puts;
    for (const [content, from] of [
      [{ beneficiaryKey: card }, principal],
      [{ beneficiaryKey: card }, stranger],
      [{ beneficiaryPublicKey: key }, beneficiary],
    ] as const) {
      const err = await errorOf(order(keystore, { ...content, addressType: 'p2tr' }, from));
      expect(err).toMatchObject({
        code: 'key_reused',
        status: 409,
        message: expect.stringMatching(/already used for another order/),
      });
    }
    expect(keystore.puts).toBe(puts);
  });

  it('an order committed before the change (raw B for another, no register entry) stays redeemable', async () => {
    const keystore = new MemoryKeystore();
    const b = generateShare();
    // The record as the previous code wrote it: the request as sent, with the principal's raw B for the beneficiary.
    const req = await request(principal, 'bitcoin/order', {});
    const oldRequest = {
      network: 'regtest',
      addressType: 'p2tr',
      beneficiary: beneficiary.id.cid,
      beneficiaryPublicKey: publicKeyOf(b),
    } as const;
    await keystore.put(req.cid.toString(), encodeCommitted({ share: generateShare(), request: oldRequest }));
    const rec = record(req, beneficiary.id.cid);
    const released = await bitcoinPlugin.redeem!(
      context(keystore),
      rec,
      await request(beneficiary, 'bitcoin/redeem', {}, { order: rec.id, previous: req.cid }),
    );
    const shown = orderReply(loadShare(keystore, rec.id), rec.id, oldRequest);
    expect(
      recoverPrivateKey(
        verifyOrderReply(shown, { order: rec.id, beneficiaryPublicKey: publicKeyOf(b) }),
        released.content,
        b,
      ).address,
    ).toBe(shown.address);
  });

  it('orders committed before the register join it when the plugin starts; a new order with such a B is refused', async () => {
    const keystore = new MemoryKeystore();
    const b = publicKeyOf(generateShare());
    const old = await request(principal, 'bitcoin/order', {});
    await keystore.put(
      old.cid.toString(),
      encodeCommitted({
        share: generateShare(),
        request: { network: 'regtest', addressType: 'p2tr', beneficiaryPublicKey: b },
      }),
    );
    const twin = await request(principal, 'bitcoin/order', { twin: true }); // an older order with the same B
    await keystore.put(
      twin.cid.toString(),
      encodeCommitted({
        share: generateShare(),
        request: { network: 'regtest', addressType: 'p2wpkh', beneficiaryPublicKey: b },
      }),
    );
    expect(await registerCommittedKeys(keystore)).toEqual({ registered: 1, shared: 1, unreadable: 0 });
    expect(await registerCommittedKeys(keystore)).toEqual({ registered: 0, shared: 0, unreadable: 0 }); // once per keystore
    const holder = new TextDecoder().decode(keystore.entries.get(`key/${Buffer.from(b).toString('hex')}`));
    expect([old.cid.toString(), twin.cid.toString()]).toContain(holder);
    const card = await createKeyStatement(core.bls, beneficiary.secrets.bls, beneficiary.id.cid, {
      network: 'regtest',
      beneficiaryPublicKey: b,
    });
    expect(await errorOf(order(keystore, { beneficiaryKey: card }))).toMatchObject({ code: 'key_reused', status: 409 });
  });
});
