/**
 * Key cards without a node: the text form (base64url of the statement envelope), what a principal's app
 * refuses (damaged text, another kind of document, a sealed one, an xpub, another network, a cut-short
 * copy), the key index a card reserves against orders and other cards, the refusal of a card already used,
 * and the database's upgrade from version 1 (the new store, the old records kept).
 */
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, flowsDb } from '../../src/app/api/db.ts';
import {
  checkUnused,
  createKeyCard,
  KEY_CARD_PREFIX,
  type KeyCardRecord,
  keyCardText,
  listKeyCards,
  markUsed,
  nextIndex,
  parseKeyCard,
} from '../../src/app/bitcoin/keycard.ts';
import type { OrderRecord } from '../../src/app/orders/model.ts';
import { putOrder } from '../../src/app/orders/repo.ts';
import { fromBase64Url, toBase64Url, toHex } from '../../src/core/bytes.ts';
import { BadEncodingError } from '../../src/core/errors.ts';
import { createEnvelope, createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import { sharedCore } from '../node/harness.ts';
import { device } from './orders-world.ts';

/** Expects an InputError on the card field whose message matches `text`. */
async function refused(f: () => unknown, text: RegExp): Promise<void> {
  await expect(Promise.resolve().then(f)).rejects.toMatchObject({
    name: 'InputError',
    field: 'card',
    message: expect.stringMatching(text),
  });
}

function order(owner: string, id: string, extra: Partial<OrderRecord> = {}): OrderRecord {
  return {
    owner,
    id,
    plugin: 'bitcoin',
    node: 'http://127.0.0.1:1',
    nodeIdentity: 'n',
    principal: owner,
    beneficiary: owner,
    role: 'both',
    created: 1,
    updated: 1,
    state: 'open',
    envelopes: [],
    ...extra,
  };
}

describe('base64url', () => {
  it("round-trips every length and agrees with Node's encoder", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it('refuses padding, the standard alphabet, impossible lengths and non-canonical last characters', () => {
    expect(() => fromBase64Url('AA==')).toThrow(BadEncodingError);
    expect(() => fromBase64Url('ab+/')).toThrow(BadEncodingError);
    expect(() => fromBase64Url('ABCDE')).toThrow(BadEncodingError); // 5 characters: 30 bits, no whole last byte
    expect(fromBase64Url('AA')).toEqual(Uint8Array.of(0));
    expect(() => fromBase64Url('AB')).toThrow(BadEncodingError); // the same byte, but with unused bits set
    expect(fromBase64Url('AAE')).toEqual(Uint8Array.of(0, 1));
    expect(() => fromBase64Url('AAF')).toThrow(BadEncodingError);
    expect(fromBase64Url('AAE-')).toEqual(Uint8Array.of(0, 1, 62));
  });
});

describe('reading a key card', () => {
  it('reads a card made by the worker: signer, network, B', async () => {
    const alice = await device('alice');
    const bytes = await alice.crypto.bitcoin.keyStatement('regtest', 3);
    const text = keyCardText(bytes);
    expect(text.startsWith(KEY_CARD_PREFIX)).toBe(true);
    expect(text.slice(KEY_CARD_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    const card = parseKeyCard(text, { network: 'regtest' });
    expect(card.signer.toString()).toBe(alice.cid);
    expect(card.network).toBe('regtest');
    expect(toHex(card.beneficiaryPublicKey)).toBe(toHex(await alice.crypto.bitcoin.publicKey('regtest', 3)));
    expect(card.bytes).toEqual(bytes);
    // Line breaks and spaces a copy may add are ignored.
    const wrapped = `  ${text.slice(0, 50)}\n${text.slice(50, 120)} \r\n${text.slice(120)}\n`;
    expect(parseKeyCard(wrapped).cid).toBe(card.cid);
  });

  it('refuses empty text, another prefix, damaged base64url and a cut-short copy', async () => {
    const alice = await device('alice');
    const text = keyCardText(await alice.crypto.bitcoin.keyStatement('testnet', 0));
    await refused(() => parseKeyCard('   '), /paste the key card/);
    await refused(() => parseKeyCard(text.replace(KEY_CARD_PREFIX, 'dta:identity:')), /starts with dta:bitcoin-key:/);
    await refused(() => parseKeyCard(`${KEY_CARD_PREFIX}abc+def=`), /damaged/);
    await refused(() => parseKeyCard(`${text}=`), /damaged/);
    await refused(() => parseKeyCard(KEY_CARD_PREFIX), /damaged/);
    await refused(() => parseKeyCard(text.slice(0, text.length - 20)), /incomplete or damaged/);
    await refused(() => parseKeyCard(text.slice(0, 60)), /incomplete or damaged/);
  });

  it('refuses another kind of signed document, a sealed one and an extended key', async () => {
    const core = await sharedCore();
    const secrets = await generateIdentitySecrets(core.bls);
    const bob = await createIdentity(core.bls, secrets, { name: 'bob' });
    const other = await createEnvelope(core.bls, secrets.bls, {
      type: 'safeguard/order',
      sender: bob.cid,
      content: { network: 'regtest' },
    });
    await refused(() => parseKeyCard(keyCardText(other.bytes)), /another kind of signed document/);
    const sealed = await createEnvelope(core.bls, secrets.bls, {
      type: 'bitcoin/key',
      sender: bob.cid,
      recipients: [{ cid: bob.cid, xwing: bob.value.keys.xwing }],
      sealed: true,
      content: { network: 'regtest' },
    });
    await refused(() => parseKeyCard(keyCardText(sealed.bytes)), /sealed/);
    const xpub = 'tpub-the-app-refuses-before-reading-it';
    const xpubCard = await createEnvelope(core.bls, secrets.bls, {
      type: 'bitcoin/key',
      sender: bob.cid,
      content: { network: 'testnet', xpub, path: '0/1' },
    });
    await refused(() => parseKeyCard(keyCardText(xpubCard.bytes)), /extended key/);
    const odd = await createEnvelope(core.bls, secrets.bls, {
      type: 'bitcoin/key',
      sender: bob.cid,
      content: { network: 'testnet', beneficiaryPublicKey: new Uint8Array(33).fill(5) },
    });
    await refused(() => parseKeyCard(keyCardText(odd.bytes)), /not a point on secp256k1/);
    const short = await createEnvelope(core.bls, secrets.bls, {
      type: 'bitcoin/key',
      sender: bob.cid,
      content: { network: 'testnet', beneficiaryPublicKey: new Uint8Array(32) },
    });
    await refused(() => parseKeyCard(keyCardText(short.bytes)), /33-byte/);
    const unknown = await createEnvelope(core.bls, secrets.bls, {
      type: 'bitcoin/key',
      sender: bob.cid,
      content: { network: 'signet', beneficiaryPublicKey: new Uint8Array(33) },
    });
    await refused(() => parseKeyCard(keyCardText(unknown.bytes)), /no Bitcoin network/);
    // The plugin's own statement builder gives what the app reads.
    const B = await (await device('carol')).crypto.bitcoin.publicKey('testnet', 0);
    const good = await createKeyStatement(core.bls, secrets.bls, bob.cid, {
      network: 'testnet',
      beneficiaryPublicKey: B,
    });
    expect(parseKeyCard(keyCardText(good)).signer.toString()).toBe(bob.cid.toString());
  });

  it("refuses a card for another network than the order's, naming both", async () => {
    const alice = await device('alice');
    const text = keyCardText(await alice.crypto.bitcoin.keyStatement('testnet', 0));
    await refused(() => parseKeyCard(text, { network: 'regtest' }), /for testnet, but the order is for regtest/);
    await refused(() => parseKeyCard(text, { network: 'mainnet' }), /for testnet, but the order is for mainnet/);
    expect(parseKeyCard(text, { network: 'testnet' }).network).toBe('testnet');
  });
});

describe('key indexes: cards reserve theirs', () => {
  it('nextIndex counts own orders and own cards, not cards used for others', () => {
    const o = [order('me', 'a', { bitcoin: { network: 'regtest', addressType: 'p2tr', index: 2 } }), order('me', 'b')];
    const issued: KeyCardRecord = { owner: 'me', cid: 'c1', kind: 'issued', network: 'mainnet', index: 5, created: 1 };
    const used: KeyCardRecord = {
      owner: 'me',
      cid: 'c2',
      kind: 'used',
      network: 'regtest',
      publicKey: '02',
      signer: 's',
      created: 1,
    };
    expect(nextIndex([])).toBe(0);
    expect(nextIndex(o)).toBe(3);
    expect(nextIndex(o, [issued])).toBe(6);
    expect(nextIndex(o, [used])).toBe(3);
  });

  it('each new card takes the next index after the orders and the cards before it', async () => {
    const alice = await device('alice');
    const first = await createKeyCard(alice.deps, 'regtest');
    expect(first.index).toBe(0);
    await putOrder(
      alice.deps,
      order(alice.cid, 'o1', { bitcoin: { network: 'regtest', addressType: 'p2wpkh', index: 1 } }),
    );
    const second = await createKeyCard(alice.deps, 'mainnet');
    expect(second.index).toBe(2);
    const [third, fourth] = await Promise.all([
      createKeyCard(alice.deps, 'testnet'),
      createKeyCard(alice.deps, 'testnet'),
    ]);
    expect(new Set([third!.index, fourth!.index])).toEqual(new Set([3, 4]));
    const cards = await listKeyCards(alice.deps, alice.cid);
    expect(cards.map((c) => c.kind === 'issued' && c.index).sort()).toEqual([0, 2, 3, 4]);
    expect(cards.every((c) => c.kind === 'issued' && c.bytes && !c.cid.startsWith('reserving:'))).toBe(true);
    // The card states the B of its index, and the next own order would not reuse any of them.
    expect(toHex(parseKeyCard(keyCardText(second.bytes)).beneficiaryPublicKey)).toBe(
      toHex(await alice.crypto.bitcoin.publicKey('mainnet', 2)),
    );
    expect(second.publicKey).toBe(toHex(await alice.crypto.bitcoin.publicKey('mainnet', 2)));
    expect(
      nextIndex([order(alice.cid, 'o1', { bitcoin: { network: 'regtest', addressType: 'p2wpkh', index: 1 } })], cards),
    ).toBe(5);
    // Another identity on the same device keeps its own indexes.
    const bob = await alice.stranger('bob');
    expect(await listKeyCards(bob.deps, bob.cid)).toEqual([]);
  });

  it('a locked identity makes no card', async () => {
    const alice = await device('alice');
    alice.setLocked(true);
    await expect(createKeyCard(alice.deps, 'regtest')).rejects.toMatchObject({ name: 'NotReadyError' });
    alice.setLocked(false);
    expect(await listKeyCards(alice.deps, alice.cid)).toEqual([]);
  });
});

describe('a card is used for one order only', () => {
  it('refuses a card whose key an order already has, or that is marked used', async () => {
    const alice = await device('alice');
    const bob = await device('bob');
    const card = parseKeyCard(keyCardText(await alice.crypto.bitcoin.keyStatement('regtest', 0)));
    const B = toHex(card.beneficiaryPublicKey);
    expect(() => checkUnused(card, [], [])).not.toThrow();
    const summary = {
      kind: 'bitcoin' as const,
      network: 'regtest' as const,
      addressType: 'p2wpkh',
      address: 'bcrt1q',
      addresses: { p2wpkh: '', p2tr: '' },
      fiduciaryPublicKey: '',
      beneficiaryPublicKey: B,
      publicKey: '',
      commitment: '',
    };
    await refused(
      () => checkUnused(card, [order(bob.cid, 'bafyearlier', { summary })], []),
      /already used this key card for an earlier order \(bafyearlier\)/,
    );
    await markUsed(bob.deps, bob.cid, card, 'bafyother');
    await refused(
      async () => checkUnused(card, [], await listKeyCards(bob.deps, bob.cid)),
      /already used this key card.*bafyother.*new card/,
    );
    // A new card of the same person (a new index, a new B) is fine.
    const fresh = parseKeyCard(keyCardText(await alice.crypto.bitcoin.keyStatement('regtest', 1)));
    expect(() => checkUnused(fresh, [order(bob.cid, 'x', { summary })], [])).not.toThrow();
  });
});

describe('the flows database, from version 1', () => {
  it('an existing version-1 database gains the key card store (and the later ones) and keeps its records', async () => {
    const name = `flows-upgrade-${process.pid}`;
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('nodes', { keyPath: 'url' });
        db.createObjectStore('orders', { keyPath: ['owner', 'id'] }).createIndex('owner', 'owner');
        db.createObjectStore('mpin', { keyPath: 'id' }).createIndex('owner', 'owner');
        db.createObjectStore('documents', { keyPath: 'cid' });
      },
    });
    await v1.put('orders', order('me', 'kept', { bitcoin: { network: 'regtest', addressType: 'p2tr', index: 4 } }));
    await v1.put('nodes', { url: 'http://127.0.0.1:9' });
    v1.close();
    const db = await flowsDb(name);
    expect(db.version).toBe(DB_VERSION);
    // Version 2 added the key cards; version 3 the audit's stores (test/app/audit-db.test.ts).
    expect([...db.objectStoreNames].sort()).toEqual([
      'checkpoints',
      'documents',
      'evidence',
      'keycards',
      'mpin',
      'nodes',
      'orders',
    ]);
    expect(await db.get('orders', ['me', 'kept'])).toMatchObject({ id: 'kept', bitcoin: { index: 4 } });
    expect(await db.getAll('nodes')).toEqual([{ url: 'http://127.0.0.1:9' }]);
    expect(await db.getAllFromIndex('keycards', 'owner', 'me')).toEqual([]);
  });
});
