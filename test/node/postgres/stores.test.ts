// The PostgreSQL stores of a node's state (src/node/storage/postgres/), two backends on one real database standing
// for two replicas: replay claims and order locks are exclusive across them, identity documents and sealed records
// are created once and never replaced, blocks round-trip by CID, pending steps are seen by both.
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresBackend, type PostgresBackend } from '../../../src/node/storage/postgres/backend.ts';
import { ReplayError } from '../../../src/node/storage/replay.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

const DAG_CBOR = 0x71;

async function cidOf(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(DAG_CBOR, await sha256.digest(bytes));
}

describe.skipIf(!havePostgres)('PostgreSQL stores shared by two replicas', () => {
  let cluster: PgCluster;
  let a: PostgresBackend;
  let b: PostgresBackend;
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase('stores');
    [a, b] = await Promise.all([
      openPostgresBackend(url, { keepReplayMs: 60_000 }),
      openPostgresBackend(url, { keepReplayMs: 60_000 }),
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
  });

  it('a request claimed by both replicas at once is new exactly once; another scope is a replay', async () => {
    const cids = Array.from({ length: 20 }, (_, i) => `bafyclaim${i}`);
    const results = await Promise.all(
      cids.flatMap((cid) => [a.replay.claim(cid, Date.now(), 'orders'), b.replay.claim(cid, Date.now(), 'orders')]),
    );
    for (let i = 0; i < cids.length; i++) expect([results[2 * i], results[2 * i + 1]].sort()).toEqual(['new', 'seen']);
    await expect(b.replay.claim(cids[0]!, Date.now(), 'order:x')).rejects.toBeInstanceOf(ReplayError);
    expect(await a.replay.has(cids[3]!)).toBe(true);
    expect(await a.replay.has('bafynever')).toBe(false);
  });

  it('withOrder on one order excludes the other replica while it runs', async () => {
    const id = (await cidOf(new TextEncoder().encode('an order'))).toString();
    let inside = 0;
    let most = 0;
    const step = (backend: PostgresBackend) =>
      backend.orders.withOrder(id, async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 15));
        inside--;
      });
    await Promise.all(Array.from({ length: 12 }, (_, i) => step(i % 2 === 0 ? a : b)));
    expect(most).toBe(1);
    // Another order is not held up by this one's lock.
    const other = (await cidOf(new TextEncoder().encode('another order'))).toString();
    const ran = await a.orders.withOrder(id, () => b.orders.withOrder(other, async () => 'ran'));
    expect(ran).toBe('ran');
  });

  it('an order put through one replica reads back through the other, envelopes and replies included', async () => {
    const envelope = new TextEncoder().encode('envelope bytes');
    const id = (await cidOf(envelope)).toString();
    const record = { id, plugin: 'safeguard', kind: 'deposit', principal: 'p', beneficiary: 'b', history: [id] };
    expect(await b.orders.get(id)).toBeUndefined();
    await a.orders.put({ record: record as never, envelopes: { [id]: envelope }, replies: { [id]: 'reply' } });
    const read = await b.orders.get(id);
    expect(read?.record).toEqual(record);
    expect(read?.replies).toEqual({ [id]: 'reply' });
    expect(Buffer.from(read!.envelopes[id]!).toString()).toBe('envelope bytes');
    const all: string[] = [];
    for await (const e of b.orders.eachEnvelope()) all.push(e.cid);
    expect(all).toContain(id);
    expect(await a.orders.get('not-a-cid')).toBeUndefined();
  });

  it('identity documents and sealed records are created once, never replaced', async () => {
    const doc = new TextEncoder().encode('identity document');
    const cid = await cidOf(doc);
    const created = await Promise.all([a.identities.create(cid, doc), b.identities.create(cid, doc)]);
    expect(created.sort()).toEqual([false, true]);
    expect(await b.identities.create(cid, new TextEncoder().encode('other'))).toBe(false);
    expect(Buffer.from((await b.identities.get(cid))!).toString()).toBe('identity document');
    expect((await a.identities.list()).map(String)).toEqual([cid.toString()]);

    const records = [a.home!.keystoreRecords, b.home!.keystoreRecords];
    const made = await Promise.all(records.map((r, i) => r.create('node/seed', Uint8Array.of(i, 1, 2))));
    expect(made.sort()).toEqual([false, true]);
    const sealed = await records[1]!.read('node/seed');
    expect(sealed!.length).toBe(3);
    await records[0]!.create('plugin/a', Uint8Array.of(9));
    await records[0]!.create('plugin/b', Uint8Array.of(9));
    await records[0]!.create('pluginx', Uint8Array.of(9));
    expect(await records[1]!.list('plugin/')).toEqual(['plugin/a', 'plugin/b']);
    await records[1]!.remove('plugin/a');
    expect(await records[0]!.read('plugin/a')).toBeUndefined();

    expect(await a.home!.keystoreMeta.create({ version: 1, salt: 'abc' })).toBe(true);
    expect(await b.home!.keystoreMeta.create({ version: 1, salt: 'other' })).toBe(false);
    expect(await b.home!.keystoreMeta.read()).toEqual({ version: 1, salt: 'abc' });
    expect(await a.home!.createIdentity(doc)).toBe(true);
    expect(await b.home!.createIdentity(Uint8Array.of(1))).toBe(false);
    expect(Buffer.from((await b.home!.readIdentity())!).toString()).toBe('identity document');
  });

  it('blocks put by one replica are read, listed and deleted by the other', async () => {
    const bytes = new TextEncoder().encode('a block');
    const cid = await cidOf(bytes);
    expect(await b.blockstore!.has(cid)).toBe(false);
    await expect(async () => {
      for await (const _ of b.blockstore!.get(cid)) void _;
    }).rejects.toMatchObject({ name: 'NotFoundError' });
    await a.blockstore!.put(cid, bytes);
    await a.blockstore!.put(cid, bytes); // idempotent
    const parts: Uint8Array[] = [];
    for await (const p of b.blockstore!.get(cid)) parts.push(p);
    expect(Buffer.from(parts[0]!).toString()).toBe('a block');
    const listed: string[] = [];
    for await (const p of b.blockstore!.getAll()) listed.push(p.cid.toString());
    expect(listed).toEqual([cid.toString()]);
    await b.blockstore!.delete(cid);
    expect(await a.blockstore!.has(cid)).toBe(false);
  });

  it('a pending step recorded by one replica is listed by the other until removed', async () => {
    const envelope = new TextEncoder().encode('request');
    const request = (await cidOf(envelope)).toString();
    await a.pending.add({ request, order: request, step: 'order', envelope });
    expect(await b.pending.has(request)).toBe(true);
    const listed = await b.pending.list();
    expect(listed.map((s) => s.request)).toEqual([request]);
    expect(Buffer.from(listed[0]!.envelope).toString()).toBe('request');
    await b.pending.remove(request);
    expect(await a.pending.has(request)).toBe(false);
  });

  it("an order's release conditions and latest check-in, and a recorded check-in, read back through the other", async () => {
    const envelope = new TextEncoder().encode('an order with conditions');
    const id = (await cidOf(envelope)).toString();
    const conditions = { notBefore: 1_804_032_000_000, checkIn: { every: 90 * 86_400_000 } };
    const record = { id, plugin: 'safeguard', principal: 'p', beneficiary: 'b', head: id, history: [id] };
    const stored = { ...record, status: 'cancelled', created: 1, conditions, checkedIn: 1_800_000_000_123 };
    await a.orders.put({ record: stored as never, envelopes: { [id]: envelope }, replies: {} });
    const read = (await b.orders.get(id))!.record;
    expect([read.conditions, read.checkedIn, read.status]).toEqual([conditions, 1_800_000_000_123, 'cancelled']);
    const checkIn = new TextEncoder().encode('a check-in');
    const request = (await cidOf(checkIn)).toString();
    await a.pending.add({ request, order: id, step: 'check-in', envelope: checkIn });
    expect((await b.pending.list()).map((s) => [s.request, s.step])).toEqual([[request, 'check-in']]);
    await b.pending.remove(request);
  });
});
