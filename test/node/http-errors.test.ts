// Every refusal of the node's HTTP server is {error: {code, message}} in JSON, fastify's own and Node's own
// included: bad JSON, an unsupported media type, a body too large, a body that breaks the route schema, a URL
// that does not decode, unknown paths and methods, a CORS preflight without Origin, and bytes that are not HTTP.
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import safeguard from '../../src/node/plugins/safeguard/index.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;

beforeAll(async () => {
  tmp = await tempDir();
  await makeHome(join(tmp.dir, 'n'), { config: { corsOrigins: ['http://localhost:4173'], bodyLimit: 4096 } });
  node = await startInProcess(join(tmp.dir, 'n'), { plugins: [safeguard] });
});
afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${node.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), json: JSON.parse(text) as unknown };
}

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const json = { 'content-type': 'application/json' };

/** Writes `raw` to the node's port and reads until the server closes the connection. */
function rawRequest(raw: string): Promise<string> {
  const { hostname, port } = new URL(node.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

describe('every error body is {error: {code, message}}', () => {
  it("fastify's parser errors: bad JSON, unsupported media type, body too large", async () => {
    const cases: [Record<string, string>, string, number, string][] = [
      [json, '{"envelope":', 400, 'malformed'],
      [json, '', 400, 'malformed'],
      [{ 'content-type': 'text/plain' }, 'hello', 415, 'unsupported_media_type'],
      [{ 'content-type': 'application/xml' }, '<a/>', 415, 'unsupported_media_type'],
      [json, JSON.stringify({ envelope: 'A'.repeat(8192) }), 413, 'body_too_large'],
      [{ 'content-type': 'application/cbor' }, 'x'.repeat(8192), 413, 'body_too_large'],
    ];
    for (const [headers, body, status, code] of cases) {
      const r = await send('POST', '/v1/orders', headers, body);
      expect({ headers, status: r.status, type: r.type, json: r.json }).toEqual({
        headers,
        status,
        type: 'application/json; charset=utf-8',
        json: errorBody(code),
      });
    }
  });

  it('a body that breaks the route schema is malformed, and the message names the field, not its value', async () => {
    const wrongType = await send('POST', '/v1/orders', json, '{"envelope":5}');
    const named = { error: { code: 'malformed', message: 'body/envelope must be string' } };
    expect([wrongType.status, wrongType.json]).toEqual([400, named]);
    const extra = await send('POST', '/v1/identities', json, '{"identity":"AA==","secret":"hunter2"}');
    expect([extra.status, extra.json]).toEqual([400, errorBody('malformed')]);
    expect(JSON.stringify(extra.json)).not.toContain('hunter2');
  });

  it('unknown paths and methods: 404 not_found, also for paths a browser app would catch', async () => {
    const unknown = [
      ['GET', '/v1/nothing'],
      ['GET', '/health'],
      ['GET', '/favicon.ico'],
      ['DELETE', '/v1/orders'],
      ['PUT', '/v1/status'],
      ['GET', '/v2/status'],
    ] as const;
    for (const [method, path] of unknown) {
      const r = await send(method, path);
      expect({ method, path, status: r.status, json: r.json }).toEqual({
        method,
        path,
        status: 404,
        json: errorBody('not_found'),
      });
    }
  });

  it('a URL that does not decode is malformed', async () => {
    const r = await send('GET', '/v1/identities/%E0%A4%A');
    expect([r.status, r.json]).toEqual([400, errorBody('malformed')]);
  });

  it('a CORS preflight without Origin is bad_request; a real one still works', async () => {
    const bare = await send('OPTIONS', '/v1/orders', { 'access-control-request-method': 'POST' });
    expect([bare.status, bare.json]).toEqual([400, errorBody('bad_request')]);
    const noMethod = await send('OPTIONS', '/v1/orders', { origin: 'http://localhost:4173' });
    expect([noMethod.status, noMethod.json]).toEqual([400, errorBody('bad_request')]);
    const ok = await fetch(`${node.url}/v1/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4173', 'access-control-request-method': 'POST' },
    });
    expect([ok.status, ok.headers.get('access-control-allow-origin')]).toEqual([204, 'http://localhost:4173']);
  });

  it('bytes that are not HTTP get the same body, written by the server itself', async () => {
    const out = await rawRequest('NOT HTTP AT ALL\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4))).toEqual(errorBody('malformed'));
    expect((await fetch(`${node.url}/v1/status`)).status).toBe(200);
  });
});
