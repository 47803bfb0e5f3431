// The `dta` command line as a user runs it, in child processes: `dta start` (what `npm start` runs) on a fresh
// home with no configuration and no passphrase (it generates a 0600 key file and says so), a second start that
// reuses it, `dta init` refusing to overwrite, a wrong passphrase, `dta status`, and the client commands a script
// would use (identity create/register, order, retrieve) completing a safeguard flow, `dta order` carrying on
// after the node died between committing its order and replying, and `dta serve` running the M-Pin
// authentication-server role from the plugins section of config.json.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, spawnDta, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: Child | undefined;
const LOOPBACK_CONFIG = JSON.stringify({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] });

/** A TCP port free on 127.0.0.1 right now (for a node that must come back on the same URL). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  tmp = await tempDir('dta-cli-');
});
afterAll(async () => {
  await node?.kill();
  await tmp?.cleanup();
});

describe('dta start, init, serve, status', () => {
  it('starts a fresh home with no passphrase: generated key file (0600), then serves; a second start reuses it', async () => {
    const home = join(tmp.dir, 'fresh');
    await mkdir(home);
    await writeFile(join(home, 'config.json'), LOOPBACK_CONFIG); // port-0 libp2p so the test cannot collide with a real node
    node = await spawnDta(['start', '--port', '0'], { DTA_HOME: home, DTA_PASSPHRASE: '' });
    expect(node.output()).toMatch(/no identity in .* yet: creating one/);
    expect(node.output()).toContain(`the keystore passphrase is in ${join(home, 'passphrase')} (mode 0600)`);
    expect((await stat(join(home, 'passphrase'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'keystore'))).mode & 0o077).toBe(0);
    const status = await (await fetch(`${node.url}/v1/status`)).json();
    const identity = status.identity as string;
    const doc = await (await fetch(`${node.url}/.well-known/dta`)).json();
    expect(doc.identity).toBe(identity);
    const statusCmd = await spawnDta(['status'], { DTA_HOME: home });
    expect(JSON.parse(statusCmd.output())).toMatchObject({ identity, node: { running: true, identity } });
    expect(await node.kill('SIGTERM')).toBe(0);
    await expect(stat(join(home, 'serve.json'))).rejects.toThrow();

    node = await spawnDta(['start', '--port', '0'], { DTA_HOME: home, DTA_PASSPHRASE: '' });
    expect(node.output()).not.toMatch(/creating one/);
    expect((await (await fetch(`${node.url}/v1/status`)).json()).identity).toBe(identity);
    await expect(spawnDta(['serve', '--port', '0'], { DTA_HOME: home })).rejects.toThrow(
      /another dta serve \(pid \d+\) runs on/,
    );
    expect(await node.kill('SIGTERM')).toBe(0);

    // a home made by `dta init` (no key file) is not opened with a freshly generated one: start asks as usual
    const other = join(tmp.dir, 'inited');
    await mkdir(other);
    await writeFile(join(other, 'config.json'), LOOPBACK_CONFIG);
    await spawnDta(['init', '--home', other, '--scrypt-log-n', '14']);
    const noPass = await spawnDta(['start', '--home', other, '--port', '0'], { DTA_PASSPHRASE: '' }).catch(
      (e: Error) => e.message,
    );
    expect(noPass).toMatch(/no passphrase: set DTA_PASSPHRASE/);
    await expect(stat(join(other, 'passphrase'))).rejects.toThrow();

    const init = await spawnDta(['init', '--home', home]);
    expect(await init.exited).toBe(1);
    expect(init.output()).toMatch(/already holds an identity; refusing to overwrite/);
    const wrong = await spawnDta(['serve', '--home', home], { DTA_PASSPHRASE: 'not the right passphrase' }).catch(
      (e: Error) => e.message,
    );
    expect(wrong).toMatch(/WrongPassphraseError: keystore: wrong passphrase/);
    expect(wrong).not.toMatch(/\n\s+at /);
  });

  it('client commands run a safeguard flow from a script', async () => {
    const [f, p, b] = [join(tmp.dir, 'f'), join(tmp.dir, 'p'), join(tmp.dir, 'b')];
    await mkdir(f);
    await writeFile(join(f, 'config.json'), LOOPBACK_CONFIG);
    const init = await spawnDta(['init', '--home', f, '--port', '0', '--scrypt-log-n', '14', '--name', 'fiduciary']);
    expect(init.output()).toMatch(/created identity bafy\w+ \("fiduciary"\)/);
    node = await spawnDta(['serve', '--home', f, '--port', '0']);
    const url = node.url;
    const [pc, bc] = await Promise.all([
      spawnDta(['identity', 'create', '--home', p, '--name', 'alice', '--scrypt-log-n', '14']),
      spawnDta(['identity', 'create', '--home', b, '--name', 'bob', '--scrypt-log-n', '14']),
    ]);
    const bobCid = bc.output().trim();
    expect(bobCid).toMatch(/^bafy\w+$/);
    expect(pc.output().trim()).toMatch(/^bafy\w+$/);
    expect((await spawnDta(['identity', 'register', '--home', b, '--url', url])).output().trim()).toBe(bobCid);
    await writeFile(join(tmp.dir, 'secret.txt'), 'my seed phrase');
    const order = await spawnDta([
      'order',
      '--home',
      p,
      '--url',
      url,
      '--beneficiary',
      bobCid,
      '--secret-file',
      join(tmp.dir, 'secret.txt'),
    ]);
    const ordered = JSON.parse(order.output());
    expect(ordered).toMatchObject({
      status: 'open',
      replayed: false,
      content: { size: 14, beneficiary: { '/': bobCid } },
    });
    const out = join(tmp.dir, 'got.bin');
    const retrieve = await spawnDta(['retrieve', '--home', b, '--url', url, '--order', ordered.order, '--out', out]);
    expect(JSON.parse(retrieve.output())).toMatchObject({ status: 'redeemed', written: out, size: 14 });
    expect(await readFile(out, 'utf8')).toBe('my seed phrase');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const again = await spawnDta(['retrieve', '--home', p, '--url', url, '--order', ordered.order]);
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/403 not_beneficiary/);
    const bad = await spawnDta(['order', '--home', p, '--url', url, '--beneficiary', bobCid]);
    expect([await bad.exited, bad.output()]).toEqual([2, expect.stringMatching(/--secret-file/)]);
    await node.kill('SIGTERM');
  });

  it('dta order carries on when the node dies after committing the order but before replying', async () => {
    const [f, p] = [join(tmp.dir, 'f2'), join(tmp.dir, 'p2')];
    await mkdir(f);
    await writeFile(join(f, 'config.json'), LOOPBACK_CONFIG);
    const port = String(await freePort());
    const [, alice] = await Promise.all([
      spawnDta(['init', '--home', f, '--port', port, '--scrypt-log-n', '14', '--name', 'fiduciary']),
      spawnDta(['identity', 'create', '--home', p, '--name', 'alice', '--scrypt-log-n', '14']),
    ]);
    node = await spawnDta(['serve', '--home', f, '--port', port], { DTA_FAILPOINT: 'order:after-commit' });
    const url = node.url;
    // alice safeguards a generated secret for herself: the node draws it, commits the order, and dies
    const ordering = spawnDta(
      [
        'order',
        '--home',
        p,
        '--url',
        url,
        '--beneficiary',
        alice.output().trim(),
        '--generate',
        '32',
        '--retries',
        '20',
      ],
      {},
      40_000,
    );
    expect(await node.exited).toBe('SIGKILL');
    node = await spawnDta(['serve', '--home', f, '--port', port]);
    const order = await ordering;
    expect([await order.exited, order.output()]).toEqual([0, expect.stringMatching(/^\{/)]);
    const ordered = JSON.parse(order.output());
    expect(ordered).toMatchObject({ status: 'open', replayed: true, content: { size: 32, generated: true } });
    const shown = await (await fetch(`${url}/v1/orders/${ordered.order}`)).json();
    expect(shown.history.map((h: { cid: string }) => h.cid)).toEqual([ordered.order, ordered.cid]);
    await node.kill('SIGTERM');
  });

  it('dta serve gives each plugin its settings from config.json: mpin runs the authentication-server role', async () => {
    const home = join(tmp.dir, 'auth');
    await mkdir(home);
    await writeFile(join(home, 'config.json'), LOOPBACK_CONFIG);
    const init = await spawnDta(['init', '--home', home, '--port', '0', '--scrypt-log-n', '14', '--name', 'auth']);
    const self = /created identity (bafy\w+)/.exec(init.output())![1]!;
    const mpin = { authServer: { issuers: [{ identity: self }], windowSeconds: 30, requirePermit: true } };
    const config = { ...JSON.parse(LOOPBACK_CONFIG), plugins: { safeguard: {}, mpin } };
    await writeFile(join(home, 'config.json'), JSON.stringify(config));
    node = await spawnDta(['serve', '--home', home, '--port', '0']);
    expect(node.output()).toMatch(/plugins safeguard [\d.]+, mpin [\d.]+\n/);
    const role = await (await fetch(`${node.url}/v1/plugins/mpin/`)).json();
    expect(role).toEqual({
      issuer: { identity: self, registeredServers: 0 },
      authServer: {
        identity: expect.stringMatching(/^bafy\w+$/),
        issuers: [self],
        ready: false,
        windowSeconds: 30,
        requirePermit: true,
      },
    });
    expect(role.authServer.identity).not.toBe(self); // the server signs as itself, never as its node
    const setup = await fetch(`${node.url}/v1/plugins/mpin/server/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([setup.status, (await setup.json()).ready]).toEqual([200, true]);
    expect(await node.kill('SIGTERM')).toBe(0);

    await writeFile(join(home, 'config.json'), JSON.stringify({ ...config, plugins: { mpin, nosuch: {} } }));
    const refused = await spawnDta(['serve', '--home', home, '--port', '0']).catch((e: Error) => e.message);
    expect(refused).toMatch(/dta serve: unknown plugin "nosuch" \(built in: safeguard, bitcoin, mpin, custody\)/);
  });
});
