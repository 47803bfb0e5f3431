/**
 * The pending redemption of a sign-in (src/worker/oidc/pending-store.ts), in Node over fake-indexeddb with the real
 * core and WebCrypto: what the page may read of it has no key; the redeemer's keys come back only through its own
 * non-extractable device key and only under the sign-in's `state` it was stored with; the record holds no key in
 * the clear; deleting it deletes its device key too.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/core/bytes.ts';
import { cidOf } from '../../src/core/protocol/cbor.ts';
import { createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import { type PendingFacts, pendingStore } from '../../src/worker/oidc/pending-store.ts';
import { sharedCore } from '../node/harness.ts';

let dbCount = 0;
const dbName = () => `oidc-pending-test-${++dbCount}`;

const FACTS: PendingFacts = {
  kind: 'custody',
  issuer: 'http://127.0.0.1:9/',
  clientId: 'dta-app',
  redirectUri: 'http://localhost:4173/',
  verifier: 'v'.repeat(43),
  holders: [{ url: 'http://127.0.0.1:1', identity: 'bafyreinode', order: 'bafyreiorder' }],
  group: 'bafyreigroup',
};

async function redeemer() {
  const core = await sharedCore();
  const secrets = await generateIdentitySecrets(core.bls);
  const identity = await createIdentity(core.bls, secrets, { name: 'redeemer' });
  return { secrets, identity, who: { cid: identity.cid.toString(), bytes: identity.bytes } };
}

const cidText = (bytes: Uint8Array) => cidOf(bytes).toString();

/** Every byte string stored anywhere in database `name`, flattened. */
async function storedBytes(name: string): Promise<Uint8Array[]> {
  const db = await openDB(name);
  const out: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(v);
    else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) for (const x of Object.values(v)) walk(x);
  };
  for (const store of db.objectStoreNames) walk(await db.getAll(store));
  db.close();
  return out;
}

const contains = (hay: Uint8Array, needle: Uint8Array) => {
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (equalBytes(hay.subarray(i, i + needle.length), needle)) return true;
  }
  return false;
};

describe('a pending redemption', () => {
  it('gives the page its facts only, and the worker the keys that fit the redeemer', async () => {
    const store = pendingStore(dbName());
    const r = await redeemer();
    await store.put('state-one-1234567', FACTS, r.who, r.secrets);
    const facts = await store.facts('state-one-1234567');
    expect(facts).toEqual(FACTS);
    expect(Object.keys(facts ?? {})).not.toContain('secrets');
    const opened = await store.open('state-one-1234567', cidText);
    expect(opened && equalBytes(opened.secrets.bls, r.secrets.bls)).toBe(true);
    expect(opened && equalBytes(opened.secrets.xwing, r.secrets.xwing)).toBe(true);
    expect(opened && equalBytes(opened.redeemer, r.identity.bytes)).toBe(true);
    expect(await store.facts('another-state-123')).toBeUndefined();
    expect(await store.open('another-state-123', cidText)).toBeUndefined();
  });

  it('keeps no key in the clear, and its device key is a CryptoKey no script can export', async () => {
    const name = dbName();
    const store = pendingStore(name);
    const r = await redeemer();
    await store.put('state-two-1234567', FACTS, r.who, r.secrets);
    const stored = await storedBytes(name);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((b) => contains(b, r.secrets.bls) || contains(b, r.secrets.xwing))).toBe(false);
    const db = await openDB(name);
    const { key } = (await db.get('keys', 'state-two-1234567')) as { key: CryptoKey };
    db.close();
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('does not open under another state, and deleting it deletes its key', async () => {
    const name = dbName();
    const store = pendingStore(name);
    const r = await redeemer();
    await store.put('state-three-12345', FACTS, r.who, r.secrets);
    // The sealed record moved under another state (with its key) does not open: the seal names the state.
    const db = await openDB(name);
    const record = await db.get('pending', 'state-three-12345');
    const key = await db.get('keys', 'state-three-12345');
    await db.put('pending', { ...record, id: 'moved-state-12345' });
    await db.put('keys', key, 'moved-state-12345');
    db.close();
    await expect(store.open('moved-state-12345', cidText)).rejects.toThrow();
    await store.delete('state-three-12345');
    expect(await store.facts('state-three-12345')).toBeUndefined();
    const after = await openDB(name);
    expect(await after.get('keys', 'state-three-12345')).toBeUndefined();
    after.close();
  });
});
