// Rate limits and quotas in PostgreSQL (src/node/limits/postgres-*.ts) on a real throwaway cluster, each store
// opened twice on two pools (two replicas): a sequence of takes and reservations answers as the single node's
// stores answer it (memory buckets, the file usage store); concurrent takes from one bucket through both replicas
// spend exactly its burst, concurrent reservations for one identity stop exactly at its limit; full buckets are
// swept, so the table holds only recent clients; counts back at zero leave no row.
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileUsageStore } from '../../../src/node/limits/file-usage-store.ts';
import { MemoryRateLimitStore } from '../../../src/node/limits/memory-rate-limit-store.ts';
import { PostgresRateLimitStore } from '../../../src/node/limits/postgres-rate-limit-store.ts';
import { PostgresUsageStore } from '../../../src/node/limits/postgres-usage-store.ts';
import { openPool } from '../../../src/node/storage/postgres/pool.ts';
import { tempDir, waitFor } from '../harness.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

let cluster: PgCluster;
const pools: pg.Pool[] = [];

/** Two pools on a fresh database: two replicas of one node. */
async function twoReplicas(name: string): Promise<[pg.Pool, pg.Pool]> {
  const url = await cluster.createDatabase(name);
  const pair: [pg.Pool, pg.Pool] = [await openPool(url, { max: 4 }), await openPool(url, { max: 4 })];
  pools.push(...pair);
  return pair;
}

/** A small deterministic generator (xorshift32), so a failing sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

beforeAll(async () => {
  if (havePostgres) cluster = await startPostgres();
}, 90_000);
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await cluster?.stop();
});

describe.skipIf(!havePostgres)('rate limits in PostgreSQL', () => {
  it('answer a sequence of takes as the memory buckets do, whichever replica is asked', async () => {
    const [one, two] = await twoReplicas('rates_sequence');
    const replicas = [new PostgresRateLimitStore(one), new PostgresRateLimitStore(two)];
    const memory = new MemoryRateLimitStore();
    const next = random(0x5eed);
    let now = 1_700_000_000_000;
    const outcomes = new Set<boolean>();
    for (let i = 0; i < 300; i++) {
      now += next(1500);
      const key = `sig:198.51.100.${next(3)}`;
      const cost = next(4) === 0 ? 0 : 1 + next(2);
      const expected = memory.takeNow(key, cost, 6, 0.5, now);
      expect(await replicas[next(2)]!.take(key, cost, 6, 0.5, now)).toEqual(expected);
      outcomes.add(expected.ok);
    }
    expect([...outcomes].sort()).toEqual([false, true]); // the sequence reaches both answers
  });

  it('two replicas taking from one bucket at once spend exactly its burst', async () => {
    const [one, two] = await twoReplicas('rates_concurrent');
    const replicas = [new PostgresRateLimitStore(one), new PostgresRateLimitStore(two)];
    const now = 1_700_000_000_000;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => replicas[i % 2]!.take('reg:2001:db8:1:2::/64', 1, 15, 0.25, now)),
    );
    expect(answers.filter((a) => a.ok).length).toBe(15);
    for (const a of answers.filter((a) => !a.ok)) expect(a).toEqual({ ok: false, retryAfterS: 4 });
    // the ask (cost 0) sees the empty bucket on either replica, and a refill 4 s later
    expect(await replicas[0]!.take('reg:2001:db8:1:2::/64', 0, 15, 0.25, now)).toEqual({ ok: false, retryAfterS: 4 });
    expect(await replicas[1]!.take('reg:2001:db8:1:2::/64', 0, 15, 0.25, now + 4000)).toEqual({ ok: true });
    expect(await replicas[1]!.take('reg:2001:db8:1:2::/64', 1, 15, 0.25, now + 4000)).toEqual({ ok: true });
    expect((await replicas[0]!.take('reg:2001:db8:1:2::/64', 1, 15, 0.25, now + 4000)).ok).toBe(false);
  });

  it('deletes buckets once full again, in the background of takes too, and a swept bucket starts full', async () => {
    const [one] = await twoReplicas('rates_sweep');
    const store = new PostgresRateLimitStore(one);
    const count = async () => (await one.query('SELECT count(*)::int AS n FROM rate_buckets')).rows[0].n as number;
    const t = 1_700_000_000_000;
    for (let i = 0; i < 50; i++) await store.take(`sig:203.0.113.${i}`, 1, 10, 10 / 60, t);
    expect(await count()).toBe(50);
    expect(await store.sweep(t + 30_000)).toBe(0); // not full yet: a minute to refill ten
    expect(await store.sweep(t + 60_000)).toBe(50);
    for (let i = 0; i < 50; i++) await store.take(`sig:203.0.113.${i}`, 10, 10, 10 / 60, t + 60_000);
    expect(await count()).toBe(50);
    // a take long after sweeps in the background: only its own bucket is left
    expect(await store.take('sig:203.0.113.200', 1, 10, 10 / 60, t + 600_000)).toEqual({ ok: true });
    await waitFor(async () => ((await count()) === 1 ? true : undefined), 10_000);
    expect(await store.take('sig:203.0.113.7', 10, 10, 10 / 60, t + 600_000)).toEqual({ ok: true });
    await expect(store.take('k', 1, 10, 0, t)).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!havePostgres)('quotas in PostgreSQL', () => {
  it('answer a sequence of reservations and releases as the file store does, whichever replica is asked', async () => {
    const [one, two] = await twoReplicas('usage_sequence');
    const replicas = [new PostgresUsageStore(one), new PostgresUsageStore(two)];
    const tmp = await tempDir('dta-usage-');
    const { store: file } = await FileUsageStore.open(join(tmp.dir, 'usage'), async function* () {});
    const next = random(0xc0ffee);
    const outcomes = new Set<string>();
    try {
      for (let i = 0; i < 300; i++) {
        const who = `bafy-identity-${next(3)}`;
        const replica = replicas[next(2)]!;
        const limits = { orders: next(5) === 0 ? 0 : 5, bytes: next(5) === 0 ? 0 : 4000 };
        if (next(4) === 0) {
          const [orders, bytes] = [next(3), next(900)];
          await file.release(who, orders, bytes);
          await replica.release(who, orders, bytes);
        } else {
          const [orders, bytes] = [next(2), next(900)];
          const expected = await file.reserve(who, orders, bytes, limits);
          expect(await replica.reserve(who, orders, bytes, limits)).toEqual(expected);
          outcomes.add(expected.ok ? 'ok' : expected.limit);
        }
        expect(await replicas[next(2)]!.usage(who)).toEqual(await file.usage(who));
      }
      expect([...outcomes].sort()).toEqual(['bytes', 'ok', 'orders']);
    } finally {
      await file.close();
      await tmp.cleanup();
    }
  });

  it('two replicas reserving for one identity at once stop exactly at its limit; a release makes room', async () => {
    const [one, two] = await twoReplicas('usage_concurrent');
    const replicas = [new PostgresUsageStore(one), new PostgresUsageStore(two)];
    const limits = { orders: 10, bytes: 1_000_000 };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => replicas[i % 2]!.reserve('bafy-alice', 1, 100, limits)),
    );
    expect(answers.filter((a) => a.ok).length).toBe(10);
    expect(answers.filter((a) => !a.ok)).toEqual(Array(20).fill({ ok: false, limit: 'orders' }));
    expect(await replicas[1]!.usage('bafy-alice')).toEqual({ orders: 10, bytes: 1000 });
    expect(await replicas[0]!.reserve('bafy-bob', 1, 2_000_000, limits)).toEqual({ ok: false, limit: 'bytes' });
    await replicas[0]!.release('bafy-alice', 1, 100);
    expect(await replicas[1]!.reserve('bafy-alice', 1, 100, limits)).toEqual({ ok: true });
    await replicas[1]!.release('bafy-alice', 10, 1000);
    expect(await replicas[0]!.usage('bafy-alice')).toEqual({ orders: 0, bytes: 0 });
    const rows = await one.query('SELECT count(*)::int AS n FROM usage_counts');
    expect(rows.rows[0].n).toBe(0); // back at zero: no row kept
    await expect(replicas[0]!.reserve('bafy-alice', 0.5, 1, limits)).rejects.toThrow(RangeError);
  });
});
