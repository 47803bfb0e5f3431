/**
 * A stopped node writes nothing more into its home. libp2p debounces a write of the node's own peer record
 * by a second and does not cancel it on stop; without the datastore gate (src/node/storage/closable-datastore.ts)
 * that write lands after close — recreating a home just removed, or changing one being backed up.
 */
import { access, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { closableDatastore, DatastoreClosedError } from '../../src/node/storage/closable-datastore.ts';
import { makeHome, startInProcess, tempDir } from './harness.ts';

/** Longer than libp2p's one-second debounce of the peer record write. */
const LATE_WRITE_MS = 1600;

const gone = (path: string) =>
  access(path).then(
    () => false,
    () => true,
  );

describe('a stopped node is quiet', () => {
  it('a home removed right after close stays removed (started and stopped within the debounce)', async () => {
    const t = await tempDir('dta-quiet-');
    try {
      const home = await makeHome(t.dir, { name: 'quiet' });
      const node = await startInProcess(home);
      await node.close();
      await rm(home, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, LATE_WRITE_MS));
      expect(await gone(home)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('the gate passes reads and writes while open, refuses writes after close, keeps reads', async () => {
    const calls: string[] = [];
    const inner = {
      put: async (k: string) => {
        calls.push(`put ${k}`);
        return k;
      },
      get: async (k: string) => {
        calls.push(`get ${k}`);
        return k;
      },
      batch: () => ({ commit: async () => undefined }),
      name: 'inner',
    };
    const gate = closableDatastore(inner);
    await expect(gate.store.put('a')).resolves.toBe('a');
    expect(gate.store.name).toBe('inner');
    gate.close();
    expect(() => gate.store.put('b')).toThrow(DatastoreClosedError);
    expect(() => gate.store.batch()).toThrow(DatastoreClosedError);
    await expect(gate.store.get('c')).resolves.toBe('c');
    expect(calls).toEqual(['put a', 'get c']);
  });
});
