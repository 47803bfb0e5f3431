// Five `dta serve` processes for the custody tests and the bench: homes under one temp directory, each node
// restartable (a new URL, the same identity and home), and sessions with all of them as one identity.
import { join } from 'node:path';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { type Child, clientOf, makeHome, spawnDta } from './harness.ts';

export interface Fleet {
  readonly homes: string[];
  readonly children: (Child | undefined)[];
  /** Starts node `i` (0-based), with a failpoint armed when given. */
  start(i: number, failpoint?: string): Promise<Child>;
  /** A session with every node, in order (nodes must be running). */
  sessionsAs(me: KeyIdentity): Promise<NodeSession[]>;
  stopAll(): Promise<void>;
}

/** Makes `n` homes under `dir` running `plugins` and starts them all (in parallel). */
export async function startFleet(dir: string, n: number, plugins: readonly string[]): Promise<Fleet> {
  const homes = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      makeHome(join(dir, `node${i + 1}`), { name: `node ${i + 1}`, config: { plugins: [...plugins] } }),
    ),
  );
  const children: (Child | undefined)[] = Array.from({ length: n }, () => undefined);
  const start = async (i: number, failpoint?: string): Promise<Child> => {
    const env: Record<string, string> = failpoint ? { DTA_FAILPOINT: failpoint } : {};
    // Five processes starting at once on a loaded machine: a generous bound.
    const child = await spawnDta(['serve', '--home', homes[i]!], env, 90_000);
    children[i] = child;
    return child;
  };
  await Promise.all(homes.map((_, i) => start(i)));
  return {
    homes,
    children,
    start,
    sessionsAs: (me) => Promise.all(children.map((c) => clientOf(c!.url, me))),
    stopAll: async () => {
      await Promise.all(children.map((c) => c?.kill()));
    },
  };
}
