/**
 * The app worker's start (issue 14, cold start): the worker reports its start once the core has loaded, answers the
 * page's first read of the vault from the database, then runs the core's self-test (before the core's first use) and
 * loads the rest of its API, which is built only over a core that has passed.
 * Here the pieces app-worker.ts puts together, in Node over fake-indexeddb with the real core, served through
 * comlink over a real MessageChannel: calls made before the rest has loaded wait for it and answer as the loaded
 * API does; the early answers agree with it; a load that fails is tried again; a broken core fails the self-test,
 * once, and every call that needs the core then fails with that reason while the vault's first read still answers.
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { DtaError } from '../../src/core/errors.ts';
import { type LoadedCore, loadCoreModule } from '../../src/core/wasm/loader.ts';
import { assertSelfTest, conditionalSelfTest } from '../../src/core/wasm/self-test.ts';
import { answersBeforeLoad } from '../../src/worker/api/early.ts';
import type { AppApi } from '../../src/worker/api/index.ts';
import { onDemand } from '../../src/worker/api/on-demand.ts';
import type { RemoteAppApi } from '../../src/worker/app-worker-client.ts';
import { buildAppApi } from '../../src/worker/app-worker-parts.ts';
import { openVaultDb } from '../../src/worker/vault/db.ts';

let dbCount = 0;
const ports: MessagePort[] = [];

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A core whose constants are damaged: it loads, and fails its self-test. */
async function brokenCore(): Promise<LoadedCore> {
  const broken = await loadCoreModule();
  const dataEnd = Number(broken.exports.__data_end.value);
  new Uint8Array(broken.exports.memory.buffer).fill(0, 1024, dataEnd);
  return broken;
}

/** The real core, its self-test runs counted. */
async function countedCore(counts: { selfTests: number }, core: Promise<LoadedCore> = loadCoreModule()) {
  const loaded = await core;
  const dta_self_test = () => {
    counts.selfTests++;
    return loaded.exports.dta_self_test();
  };
  return { ...loaded, exports: { ...loaded.exports, dta_self_test } };
}

/**
 * Served as app-worker.ts serves it, with the rest's load held until `release()`; `loads` counts the loads,
 * `selfTests` the self-test's runs.
 */
async function startedWorker(core?: Promise<LoadedCore>) {
  const counts = { loads: 0, firstReads: 0, selfTests: 0 };
  const selfTest = conditionalSelfTest(countedCore(counts, core));
  const db = openVaultDb(`worker-start-${++dbCount}`);
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const load = async (): Promise<AppApi> => {
    counts.loads++;
    const [, tested] = await Promise.all([gate, selfTest.run()]);
    return buildAppApi(tested, db);
  };
  const api = onDemand(
    load,
    answersBeforeLoad(db, () => counts.firstReads++),
  );
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(api, port1);
  return { remote: Comlink.wrap<AppApi>(port2) as unknown as RemoteAppApi, release, counts, selfTest };
}

describe('the app worker before its API has loaded', () => {
  it("answers the vault's first read from the database, without loading the rest", async () => {
    const { remote, counts } = await startedWorker();
    expect(await remote.vault.state()).toEqual({ identities: [], active: null, unlocked: null, unavailable: null });
    expect(await remote.vault.current()).toBeNull();
    expect(await remote.vault.idleLeft()).toBeNull();
    // Nor has the self-test run: the first screen needs no crypto.
    expect(counts).toEqual({ loads: 0, firstReads: 1, selfTests: 0 });
  });

  it('holds calls made before the load and answers them as the loaded API does, loading once', async () => {
    const { remote, release, counts } = await startedWorker();
    const created = remote.vault.create('early caller');
    const selfTest = remote.core.selfTest();
    const key = remote.core.bls.keygen(new Uint8Array(32).fill(7));
    const sizes = remote.core.sizes;
    release();
    const entry = await created;
    expect(entry.name).toBe('early caller');
    expect(await selfTest).toBe(true);
    expect((await key).length).toBe((await sizes).secretKey);
    expect(counts.loads).toBe(1);
    // Once before the core's first use, then the one asked for (remote.core.selfTest()).
    expect(counts.selfTests).toBe(2);
    // Once loaded, the vault answers itself: the identity just created is unlocked.
    const state = await remote.vault.state();
    expect([state.unlocked, state.active, state.identities.map((i) => i.name)]).toEqual([
      entry.cid,
      entry.cid,
      ['early caller'],
    ]);
    expect((await remote.vault.current())?.cid).toBe(entry.cid);
  });

  it('the early state of a vault that holds identities is what the loaded vault says', async () => {
    const first = await startedWorker();
    first.release();
    const entry = await first.remote.vault.create('kept');
    await first.remote.vault.lock();
    const loadedState = await first.remote.vault.state();
    // A new start over the same database: nothing loaded yet.
    const db = openVaultDb(`worker-start-${dbCount}`);
    const early = answersBeforeLoad(db)['vault.state']!;
    expect(await early()).toEqual(loadedState);
    expect(loadedState.identities.map((i) => i.cid)).toEqual([entry.cid]);
  });

  it('a feature namespace answers through two levels of loading, and an unknown method is refused', async () => {
    const { remote, release } = await startedWorker();
    release();
    // The safeguard feature's own code, loaded on this call after the whole API, asks for an unlocked identity.
    await expect(remote.safeguard.release({} as never)).rejects.toMatchObject({ name: 'VaultLockedError' });
    await expect((remote.vault as unknown as { nothing: () => Promise<void> }).nothing()).rejects.toThrow(
      /no method vault\.nothing/,
    );
  });

  it('a load that fails is tried again on the next call', async () => {
    let attempts = 0;
    const api = onDemand(async () => {
      attempts++;
      if (attempts === 1) throw new Error('the chunk did not arrive');
      return { twice: (n: number) => 2 * n };
    });
    await expect(api.twice(2)).rejects.toThrow('the chunk did not arrive');
    expect(await api.twice(3)).toBe(6);
    expect(attempts).toBe(2);
  });
});

describe("the core's self-test, before the core's first use", () => {
  it('runs once, when first asked for; its outcome settles then', async () => {
    const counts = { selfTests: 0 };
    const selfTest = conditionalSelfTest(countedCore(counts));
    let settled = false;
    void selfTest.outcome.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([counts.selfTests, settled]).toEqual([0, false]);
    const tested = await selfTest.run();
    expect(await selfTest.run()).toBe(tested);
    expect(await selfTest.outcome).toBe(tested);
    expect(counts.selfTests).toBe(1);
  });

  it('a core that fails it is refused, with the reason, at every call that needs the core', async () => {
    const { remote, release, counts, selfTest } = await startedWorker(brokenCore());
    // The start and the first screen need no crypto: the vault's state is read.
    expect(await remote.vault.state()).toEqual({ identities: [], active: null, unlocked: null, unavailable: null });
    release();
    const reason = 'core self-test: the core failed its self-test';
    await expect(remote.vault.create('never')).rejects.toMatchObject({ name: 'DtaError', message: reason });
    await expect(remote.core.bls.keygen(new Uint8Array(32).fill(7))).rejects.toMatchObject({ message: reason });
    await expect(selfTest.outcome).rejects.toMatchObject({ name: 'DtaError', message: reason });
    // Tested once: a core that failed is not tested again (nor used).
    expect(counts.selfTests).toBe(1);
    expect(await remote.vault.state()).toEqual({ identities: [], active: null, unlocked: null, unavailable: null });
  });
});

describe("the core's self-test", () => {
  it('passes on the real core and fails on one whose constants are damaged', async () => {
    const good = await loadCoreModule();
    expect(() => assertSelfTest(good)).not.toThrow();
    const broken = await brokenCore();
    let error: unknown;
    try {
      assertSelfTest(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DtaError);
    expect((error as DtaError).message).toBe('core self-test: the core failed its self-test');
  });
});
