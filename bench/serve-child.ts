/**
 * What the benchmarks that measure real nodes (bench/node.ts, bench/custody.ts) share: a fresh home, `dta serve`
 * over it as a child process, and client identities.
 * @module
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyIdentity } from '../src/core/api/signer.ts';
import { createIdentity, generateIdentitySecrets } from '../src/core/protocol/index.ts';
import type { Core } from '../src/core/types.ts';
import { initHome } from '../src/node/home.ts';

const PASSPHRASE = 'benchmark passphrase (not a secret)';
const ROOT = new URL('../', import.meta.url).pathname;

/** A node running as a child process. */
export interface ServedChild {
  readonly url: string;
  /** The child's process id (its CPU time is read from /proc by bench/cpu-time.ts). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** A client identity (keys and identity document) named `name`. */
export async function benchParty(core: Core, name: string): Promise<KeyIdentity> {
  const secrets = await generateIdentitySecrets(core.bls);
  return { secrets, identity: await createIdentity(core.bls, secrets, { name }) };
}

/**
 * A fresh home at `home` (a cheap scrypt cost) serving `plugins` on ports the OS picks on 127.0.0.1; `extra`
 * config.json keys on top (e.g. `{ cryptoWorkers: 0 }`).
 */
export async function benchHome(
  core: Core,
  home: string,
  name: string,
  plugins: readonly string[],
  extra: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await initHome(core, home, new TextEncoder().encode(PASSPHRASE), { name, scryptLogN: 14 });
  const config = { port: 0, listen: ['/ip4/127.0.0.1/tcp/0'], plugins, ...extra };
  await writeFile(join(home, 'config.json'), JSON.stringify(config));
}

/**
 * `dta serve --home <home>` as a child process; resolves once it prints its URL, within `timeoutMs`. `nodeArgs`
 * go to the child's node before the script (e.g. `--cpu-prof` to profile the node under the bench's load).
 */
export async function serveChild(
  home: string,
  timeoutMs: number,
  nodeArgs: readonly string[] = [],
): Promise<ServedChild> {
  const proc = spawn(
    join(ROOT, 'node_modules/.bin/node'),
    [...nodeArgs, join(ROOT, 'src/node/cli/main.ts'), 'serve', '--home', home],
    {
      env: { PATH: process.env.PATH ?? '', HOME: home, DTA_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const stop = async () => {
    proc.kill('SIGTERM');
    await exited;
  };
  const end = Date.now() + timeoutMs;
  for (;;) {
    const url = /serving (http:\/\/\S+)/.exec(out)?.[1];
    if (url) return { url, pid: proc.pid, stop };
    if (proc.exitCode !== null || Date.now() > end) {
      proc.kill('SIGKILL');
      throw new Error(`bench: dta serve did not start: ${out.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
