// Issue 13, F7, with a real `dta serve` child process: a home created beforehand with 0755 and holding files and
// directories others can read (as the self-hosting section suggests a service account's home) is owner-only once
// the node serves: every directory 0700, every file 0600, those the node created since (blocks/, datastore/, the
// orders, serve.json, ...) and those that were there. And DTA_PASSPHRASE, given in the environment, is gone from
// it once read: a plugin reading process.env, and a child process it starts, see nothing.
import { chmod, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { serveHome } from './crash-node.ts';
import { type Child, clientIdentity, clientOf, makeHome, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let child: Child | undefined;

/** A plugin that tells what the node's process, and a child process it starts, see of DTA_PASSPHRASE. */
const ENV_PROBE = `import { execFileSync } from 'node:child_process';
export default {
  name: 'envprobe',
  version: '1',
  async routes(app) {
    const schema = { response: { 200: { type: 'object', properties: { node: { type: 'string' }, child: { type: 'string' } } } } };
    app.get('/', { schema }, async () => ({
      node: String(process.env.DTA_PASSPHRASE),
      child: execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.DTA_PASSPHRASE))']).toString(),
    }));
  },
};
`;

/** Every entry under `dir` (itself included) with its permission bits; symbolic links left out. */
async function modes(dir: string): Promise<Map<string, { dir: boolean; mode: number }>> {
  const out = new Map<string, { dir: boolean; mode: number }>();
  const walk = async (path: string) => {
    const st = await lstat(path).catch(() => undefined); // a temporary file renamed meanwhile
    if (!st || st.isSymbolicLink()) return;
    out.set(path, { dir: st.isDirectory(), mode: st.mode & 0o777 });
    if (st.isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
  };
  await walk(dir);
  return out;
}

beforeAll(async () => {
  tmp = await tempDir('dta-home-modes-');
  home = join(tmp.dir, 'node');
  await mkdir(home, { mode: 0o755 });
  await chmod(home, 0o755); // whatever the test runner's umask
  await makeHome(home, { config: { plugins: { safeguard: {}, envprobe: { module: './envprobe.mjs' } } } });
  await writeFile(join(home, 'envprobe.mjs'), ENV_PROBE, { mode: 0o644 });
  await writeFile(join(home, 'notes.txt'), 'the operator wrote this', { mode: 0o644 });
  await mkdir(join(home, 'extra', 'deeper'), { recursive: true, mode: 0o755 });
  await writeFile(join(home, 'extra', 'deeper', 'open.txt'), 'readable by all', { mode: 0o666 });
  await chmod(join(home, 'extra', 'deeper', 'open.txt'), 0o666);
  const before = await modes(home);
  expect([...before.values()].some((e) => (e.mode & 0o077) !== 0)).toBe(true);
});

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('a served home', () => {
  it('is owner-only, what existed before included, and the passphrase is out of the environment', async () => {
    child = await serveHome(home, undefined, 60_000); // a slow start under load is not a failure
    expect(child.output()).toMatch(/entries of .* were open to other users: now owner-only \(0700\/0600\)/);
    // an order, so that Helia, the orders and the keystore write new files
    const alice = await clientIdentity('alice');
    await new NodeApi(child.url).registerIdentity(alice.identity.bytes);
    const asAlice = await clientOf(child.url, alice);
    const content = { beneficiary: alice.identity.cid, generate: 32 };
    const ordered = await asAlice.order('safeguard', content, { intentFor: alice.identity });
    expect(ordered.reply.status).toBe('open');

    const seen = await modes(home);
    for (const name of ['blocks', 'datastore', 'orders', 'keystore', 'identity.cbor', 'serve.json', 'config.json'])
      expect(seen.has(join(home, name)), name).toBe(true);
    const wrong = [...seen].filter(([, e]) => e.mode !== (e.dir ? 0o700 : 0o600));
    expect(wrong.map(([path, e]) => `${path} ${e.mode.toString(8)}`)).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);

    const probe = await fetch(`${child.url}/v1/plugins/envprobe/`, { signal: AbortSignal.timeout(10_000) });
    expect(await probe.json()).toEqual({ node: 'undefined', child: 'undefined' });
  }, 120_000); // a `dta serve` start and an order: about 20 s on a quiet machine
});
