// `dta serve` logs JSON lines on stdout (pino; its human start-up summary goes to stderr): one line per request at
// info with the request id, route template, method, status and duration, and never a body, a query string, a
// header or a stack trace (a failure logs its name, code and message); --log-level warn drops the request lines.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeHome, NODE_BIN, PASSPHRASE, tempDir, waitFor } from './harness.ts';

const MARKER = 'body-marker-that-must-never-be-logged';

/** A plugin whose one route fails the way a broken disk would: an Error with a code (and a stack). */
const FAILING_PLUGIN = `export default {
  name: 'failing',
  version: '1.0.0',
  async routes(app) {
    app.get('/boom', { schema: { summary: 'fails', response: { 200: { type: 'object' } } } }, async () => {
      throw Object.assign(new Error('the disk is on fire'), { code: 'EIO' });
    });
  },
};
`;

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;

beforeAll(async () => {
  tmp = await tempDir('dta-logs-');
  home = await makeHome(join(tmp.dir, 'node'), {
    config: { plugins: { safeguard: {}, failing: { module: './failing.mjs' } } },
  });
  await writeFile(join(home, 'failing.mjs'), FAILING_PLUGIN);
}, 30_000);
afterAll(async () => {
  await tmp?.cleanup();
});

/** Runs `dta serve` with `args`, sends what `traffic` sends, stops it (SIGTERM) and returns its stdout. */
async function serveAndLog(args: readonly string[], traffic: (url: string) => Promise<void>): Promise<string> {
  const proc = spawn(NODE_BIN, [CLI, 'serve', '--home', home, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, DTA_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  try {
    const url = await waitFor(() => {
      if (proc.exitCode !== null) throw new Error(`dta serve exited: ${stderr}`);
      return /serving (http:\/\/\S+)/.exec(stderr)?.[1];
    }, 60_000);
    await traffic(url);
  } finally {
    proc.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  return stdout;
}

const parseLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('dta serve logs', () => {
  it('every stdout line is JSON; one info line per request with id, route, status and duration; no body', async () => {
    const stdout = await serveAndLog([], async (url) => {
      expect((await fetch(`${url}/v1/status?${MARKER}=1`)).status).toBe(200);
      const refused = await fetch(`${url}/v1/identities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${MARKER}` },
        body: JSON.stringify({ document: MARKER }),
      });
      expect(refused.status).toBe(400);
      expect((await fetch(`${url}/v1/orders/${MARKER}`)).status).toBe(400);
      expect((await fetch(`${url}/nowhere`)).status).toBe(404);
      expect((await fetch(`${url}/v1/plugins/failing/boom`)).status).toBe(500);
    });
    const lines = parseLines(stdout); // throws on a line that is not JSON
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((r) => [r.method, r.route, r.status, r.code])).toEqual([
      ['GET', '/v1/status', 200, undefined],
      ['POST', '/v1/identities', 400, 'malformed'],
      ['GET', '/v1/orders/:id', 400, 'malformed'],
      ['GET', 'unmatched', 404, 'not_found'],
      ['GET', '/v1/plugins/failing/boom', 500, 'internal'],
    ]);
    const failed = lines.filter((l) => l.msg === 'request failed');
    expect(failed.map((l) => [l.level, l.route, (l.error as Record<string, unknown>).name])).toEqual([
      [50, undefined, 'Error'],
    ]);
    expect(failed[0]!.error).toEqual({ name: 'Error', code: 'EIO', message: 'the disk is on fire' });
    for (const r of requests) {
      expect(r.level).toBe(30); // info
      expect(typeof r.reqId).toBe('string');
      expect(typeof r.ms).toBe('number');
      expect(typeof r.time).toBe('number');
    }
    expect(new Set(requests.map((r) => r.reqId)).size).toBe(requests.length);
    expect(stdout).not.toContain(MARKER);
    expect(stdout).not.toMatch(/"stack"|\\n\s+at /);
  }, 120_000);

  it('--log-level warn: no request lines', async () => {
    const stdout = await serveAndLog(['--log-level', 'warn'], async (url) => {
      expect((await fetch(`${url}/v1/status`)).status).toBe(200);
      expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    });
    expect(parseLines(stdout).filter((l) => l.msg === 'request')).toEqual([]);
  }, 120_000);
});
