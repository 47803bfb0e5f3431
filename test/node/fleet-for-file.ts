// A fleet of `dta serve` processes in a fresh temp directory, shared by every test of one file, and the homes
// its command-line tests give Alice (the principal) and Bob (the beneficiary) there.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Fleet, startFleet } from './custody-nodes.ts';
import { spawnDta, tempDir } from './harness.ts';

export interface FleetForFile {
  /** The temp directory holding the node homes; the tests put their own homes and files there too. */
  readonly dir: string;
  readonly fleet: Fleet;
}

/** Starts `n` nodes running `plugins` before the file's tests, stops them and removes the directory after. */
export function useFleet(prefix: string, n: number, plugins: readonly string[]): FleetForFile {
  let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    tmp = await tempDir(prefix);
    fleet = await startFleet(tmp.dir, n, plugins);
  }, 120_000);
  afterAll(async () => {
    await fleet?.stopAll();
    await tmp?.cleanup();
  });
  return {
    get dir() {
      if (!tmp) throw new Error('the fleet is not started yet');
      return tmp.dir;
    },
    get fleet() {
      if (!fleet) throw new Error('the fleet is not started yet');
      return fleet;
    },
  };
}

/** Alice's and Bob's homes in the fleet's directory (a fast scrypt), Bob's identity registered at the first node. */
export async function aliceAndBobHomes(setup: FleetForFile): Promise<{ p: string; b: string; bobCid: string }> {
  const p = join(setup.dir, 'alice');
  const b = join(setup.dir, 'bob');
  const create = (home: string, name: string) =>
    spawnDta(['identity', 'create', '--home', home, '--name', name, '--scrypt-log-n', '14']);
  const [, bob] = await Promise.all([create(p, 'alice'), create(b, 'bob')]);
  await spawnDta(['identity', 'register', '--home', b, '--url', setup.fleet.children[0]!.url]);
  return { p, b, bobCid: bob.output().trim() };
}
