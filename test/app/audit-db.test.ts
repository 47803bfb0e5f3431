/**
 * The flows database's version 3 (the Audit page's stores): a database of version 2, with a node and an order in
 * it, opens as version 3 with its records unchanged and the new stores empty; the last checkpoint kept per node
 * never goes back to a smaller one, and the evidence of a node is listed newest first.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, flowsDb } from '../../src/app/api/db.ts';
import type { FlowsDeps } from '../../src/app/api/deps.ts';
import { evidenceOf, keepEvidence, lastSeen, rememberCheckpoint } from '../../src/app/audit/seen.ts';

const depsOf = (name: string): FlowsDeps => ({
  db: () => flowsDb(name),
  crypto: () => Promise.reject(new Error('not used')),
});

/** A database as version 2 of the app made it. */
async function versionTwo(name: string): Promise<void> {
  const db = await openDB(name, 2, {
    upgrade(d) {
      d.createObjectStore('nodes', { keyPath: 'url' });
      d.createObjectStore('orders', { keyPath: ['owner', 'id'] }).createIndex('owner', 'owner');
      d.createObjectStore('mpin', { keyPath: 'id' }).createIndex('owner', 'owner');
      d.createObjectStore('documents', { keyPath: 'cid' });
      d.createObjectStore('keycards', { keyPath: ['owner', 'cid'] }).createIndex('owner', 'owner');
    },
  });
  await db.put('nodes', { url: 'http://127.0.0.1:5556', identity: 'bafy-node', name: 'kept node' });
  await db.put('orders', { owner: 'bafy-me', id: 'bafy-order', state: 'open' });
  db.close();
}

const seen = (size: number, at: number) => ({
  node: 'bafy-node',
  origin: 'example.org/log',
  size,
  root: 'AAAA',
  note: `note ${size}`,
  at,
});

describe('the flows database, version 3', () => {
  it('upgrades a version 2 database keeping its records, with empty audit stores', async () => {
    const name = `audit-db-upgrade-${process.pid}`;
    await versionTwo(name);
    const db = await flowsDb(name);
    expect(DB_VERSION).toBe(3);
    expect(db.version).toBe(3);
    expect(await db.get('nodes', 'http://127.0.0.1:5556')).toMatchObject({ name: 'kept node' });
    expect(await db.get('orders', ['bafy-me', 'bafy-order'])).toMatchObject({ state: 'open' });
    expect([await db.count('checkpoints'), await db.count('evidence')]).toEqual([0, 0]);
  });

  it('keeps the largest checkpoint seen of a log, and the evidence newest first', async () => {
    const deps = depsOf(`audit-db-seen-${process.pid}`);
    expect(await lastSeen(deps, 'bafy-node')).toBeUndefined();
    await rememberCheckpoint(deps, seen(5, 1));
    expect(await rememberCheckpoint(deps, seen(3, 2))).toMatchObject({ size: 5 });
    await rememberCheckpoint(deps, seen(9, 3));
    expect(await lastSeen(deps, 'bafy-node')).toMatchObject({ size: 9, note: 'note 9' });
    await keepEvidence(deps, { node: 'bafy-node', at: 10, summary: 'first', json: '{}' });
    await keepEvidence(deps, { node: 'bafy-node', at: 20, summary: 'second', json: '{}' });
    await keepEvidence(deps, { node: 'bafy-other', at: 30, summary: 'elsewhere', json: '{}' });
    expect((await evidenceOf(deps, 'bafy-node')).map((e) => e.summary)).toEqual(['second', 'first']);
  });
});
