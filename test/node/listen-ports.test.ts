// Two nodes on one machine: the libp2p ports come from --libp2p-tcp-port / --libp2p-ws-port (or libp2pTcpPort /
// libp2pWsPort, or the listen list), and a port another node holds stops `dta serve` with exit status 1 and one
// line naming the port and the flag that changes it — for libp2p's ports and the HTTP one — never a crash or a
// stack trace; with other ports the second node starts.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/node/config.ts';
import { explainLibp2pListenError, PortInUseError, withLibp2pPorts } from '../../src/node/listen-ports.ts';
import { type Child, CLI, makeHome, NODE_BIN, PASSPHRASE, spawnDta, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
const children: Child[] = [];

beforeAll(async () => {
  tmp = await tempDir('dta-ports-');
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGTERM');
  await tmp?.cleanup();
});

/** A free TCP port on 127.0.0.1 (closed again: the node under test takes it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `dta serve` that must exit within 60 s: its exit code and its stderr lines. */
function serveUntilExit(args: readonly string[]): Promise<{ code: number | null; stderr: string[]; stdout: string }> {
  const proc = spawn(NODE_BIN, [CLI, 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, DTA_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => l.trim() !== '') });
    }),
  );
}

/** The command's refusal: its `dta serve:` lines (others, e.g. a note on the home's modes, may come before); no stack. */
function refusal(stderr: readonly string[]): string[] {
  expect(stderr.filter((l) => /^\s+at /.test(l))).toEqual([]);
  return stderr.filter((l) => l.startsWith('dta serve:'));
}

describe('libp2p ports', () => {
  const listen = [
    '/ip4/127.0.0.1/tcp/5557',
    '/ip4/127.0.0.1/tcp/5558/ws',
    '/ip6/::1/tcp/5557',
    '/ip4/0.0.0.0/tcp/1/wss',
  ];

  it('the flags set the port of each TCP and each WebSocket address, and nothing else', () => {
    expect(withLibp2pPorts(listen, { tcp: 6001, ws: 6002 })).toEqual([
      '/ip4/127.0.0.1/tcp/6001',
      '/ip4/127.0.0.1/tcp/6002/ws',
      '/ip6/::1/tcp/6001',
      '/ip4/0.0.0.0/tcp/6002/wss',
    ]);
    expect(withLibp2pPorts(listen, { ws: 0 })).toEqual([
      listen[0],
      '/ip4/127.0.0.1/tcp/0/ws',
      listen[2],
      '/ip4/0.0.0.0/tcp/0/wss',
    ]);
    expect(withLibp2pPorts(listen, {})).toEqual(listen);
  });

  it('flag over config key over the listen list', async () => {
    const home = join(tmp.dir, 'config');
    await makeHome(home, { config: { listen: listen.slice(0, 2), libp2pTcpPort: 7001, libp2pWsPort: 7002 } });
    expect((await loadConfig({ home })).listen).toEqual(['/ip4/127.0.0.1/tcp/7001', '/ip4/127.0.0.1/tcp/7002/ws']);
    expect((await loadConfig({ home, libp2pTcpPort: 8001 })).listen).toEqual([
      '/ip4/127.0.0.1/tcp/8001',
      '/ip4/127.0.0.1/tcp/7002/ws',
    ]);
    await writeFile(join(home, 'config.json'), JSON.stringify({ libp2pWsPort: 9002 }));
    expect((await loadConfig({ home })).listen).toEqual(['/ip4/127.0.0.1/tcp/5557', '/ip4/127.0.0.1/tcp/9002/ws']);
  });

  it("libp2p's refusal (its message full of stacks) becomes one line about the port taken", () => {
    const err = Object.assign(
      new Error(
        'Some configured addresses failed to be listened on:\n\n  /ip4/127.0.0.1/tcp/4100/ws: Error: listen EADDRINUSE: address already in use 127.0.0.1:4100\n      at Server.setupListenHandle (node:net:1941:16)\n',
      ),
      {
        name: 'UnsupportedListenAddressesError',
      },
    );
    const explained = explainLibp2pListenError(err);
    expect(explained).toBeInstanceOf(PortInUseError);
    expect((explained as Error).message).toBe(
      'libp2p WebSocket port 4100 (/ip4/127.0.0.1/tcp/4100/ws) is already in use: choose another with ' +
        '--libp2p-ws-port <port> (or "libp2pWsPort" in config.json)',
    );
    const other = new Error('something else');
    expect(explainLibp2pListenError(other)).toBe(other);
  });

  it('a second node on ports the first holds exits 1 with one clear line; on other ports it starts', async () => {
    const [tcp, ws] = [await freePort(), await freePort()];
    // both homes are configured with the same libp2p ports: what two nodes on their defaults would do
    const config = { plugins: [], listen: [`/ip4/127.0.0.1/tcp/${tcp}`, `/ip4/127.0.0.1/tcp/${ws}/ws`] };
    const [first, second] = [join(tmp.dir, 'first'), join(tmp.dir, 'second')];
    await makeHome(first, { config });
    await makeHome(second, { config });
    const running = await spawnDta(['serve', '--home', first], {}, 60_000);
    children.push(running);

    const clash = await serveUntilExit(['--home', second]);
    expect(clash.code).toBe(1);
    expect(refusal(clash.stderr)).toEqual([
      `dta serve: PortInUseError: libp2p TCP port ${tcp} (/ip4/127.0.0.1/tcp/${tcp}) is already in use: choose ` +
        'another with --libp2p-tcp-port <port> (or "libp2pTcpPort" in config.json)',
    ]);
    expect(clash.stdout).not.toMatch(/\n\s+at /);

    const httpPort = new URL(running.url).port;
    const httpClash = await serveUntilExit([
      '--home',
      second,
      '--libp2p-tcp-port',
      '0',
      '--libp2p-ws-port',
      '0',
      '--port',
      httpPort,
    ]);
    expect(httpClash.code).toBe(1);
    expect(refusal(httpClash.stderr)).toEqual([
      `dta serve: PortInUseError: HTTP port ${httpPort} (127.0.0.1) is already in use: choose another with ` +
        '--port <port> (or "port" in config.json)',
    ]);

    const apart = await spawnDta(
      ['serve', '--home', second, '--libp2p-tcp-port', '0', '--libp2p-ws-port', '0'],
      {},
      60_000,
    );
    children.push(apart);
    expect((await fetch(`${apart.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
