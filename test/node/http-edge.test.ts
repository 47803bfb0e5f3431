/**
 * Issue 13, F6: every refusal is {error: {code, message}} in JSON, whoever makes it: Node's HTTP parser (a bad
 * request line, an unknown method, a header too large or malformed, a bad version, conflicting lengths), the
 * request timeout (408), CORS preflights without Origin (with and without configured origins), unknown routes
 * and methods, bodies too large, unsupported media types. Table-driven over raw sockets.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRaw, rawExchange } from './edge-client.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let withCors: RunningNode;
let without: RunningNode;

beforeAll(async () => {
  tmp = await tempDir('dta-edge-');
  const limits = { bodyLimit: 4096, requestTimeoutMs: 1500, headersTimeoutMs: 1000 };
  await makeHome(join(tmp.dir, 'a'), { config: { ...limits, corsOrigins: ['http://localhost:4173'] } });
  await makeHome(join(tmp.dir, 'b'), { config: limits });
  [withCors, without] = await Promise.all([startInProcess(join(tmp.dir, 'a')), startInProcess(join(tmp.dir, 'b'))]);
}, 60_000);
afterAll(async () => {
  await withCors?.close();
  await without?.close();
  await tmp?.cleanup();
});

const host = 'Host: 127.0.0.1\r\n';
const post = (path: string, type: string, body: string) =>
  `POST ${path} HTTP/1.1\r\n${host}Content-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
const get = (line: string, extra = '') => `${line}\r\n${host}${extra}Connection: close\r\n\r\n`;

/** [what, raw request, status, code]: sent to both nodes. */
const CASES: [string, string, number, string][] = [
  ['a request line that is not HTTP', 'NOT HTTP AT ALL\r\n\r\n', 400, 'malformed'],
  ['an unknown method', get('BREW /v1/status HTTP/1.1'), 400, 'malformed'],
  ['a bad HTTP version', get('GET /v1/status HTTP/9.9'), 400, 'malformed'],
  ['a header line without a colon', get('GET /v1/status HTTP/1.1', 'Broken header\r\n'), 400, 'malformed'],
  [
    'headers over the limit',
    get('GET /v1/status HTTP/1.1', `X-Big: ${'a'.repeat(20_000)}\r\n`),
    431,
    'headers_too_large',
  ],
  [
    'both Content-Length and Transfer-Encoding',
    `POST /v1/orders HTTP/1.1\r\n${host}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    'malformed',
  ],
  ['an unknown path', get('GET /v1/nothing HTTP/1.1'), 404, 'not_found'],
  ['a method a route does not take', get('DELETE /v1/orders HTTP/1.1'), 404, 'not_found'],
  ['a preflight without Origin', get('OPTIONS /v1/orders HTTP/1.1', 'Access-Control-Request-Method: POST\r\n'), 0, ''],
  ['a bare OPTIONS', get('OPTIONS /v1/orders HTTP/1.1'), 0, ''],
  ['a body too large', post('/v1/orders', 'application/cbor', 'x'.repeat(8192)), 413, 'body_too_large'],
  ['an unsupported media type', post('/v1/orders', 'text/plain', 'hello'), 415, 'unsupported_media_type'],
  ['bad JSON', post('/v1/orders', 'application/json', '{"envelope":'), 400, 'malformed'],
  [
    'a body that never comes (request timeout)',
    `POST /v1/orders HTTP/1.1\r\n${host}Content-Type: application/cbor\r\nContent-Length: 100\r\n\r\nabc`,
    408,
    'request_timeout',
  ],
  [
    'headers that never end (headers timeout)',
    `GET /v1/status HTTP/1.1\r\n${host}X-Slow: 1\r\n`,
    408,
    'request_timeout',
  ],
];

describe('every refusal is {error: {code, message}} in JSON', () => {
  for (const [name, nodeName] of [
    ['CORS origins configured', 'withCors'],
    ['no CORS origins', 'without'],
  ] as const) {
    it(`${name}: the parser's, the router's, the body parser's and the timeouts' refusals`, async () => {
      const node = nodeName === 'withCors' ? withCors : without;
      const results = await Promise.all(
        CASES.map(async ([what, raw]) => {
          const { status, json, head } = parseRaw(await rawExchange(node.url, raw, 8000));
          return {
            what,
            status,
            code: json?.error?.code,
            message: typeof json?.error?.message,
            json: /json/i.test(head),
          };
        }),
      );
      const preflight = nodeName === 'withCors' ? [400, 'bad_request'] : [404, 'not_found'];
      expect(results).toEqual(
        CASES.map(([what, , status, code]) => ({
          what,
          status: status === 0 ? preflight[0] : status,
          code: code === '' ? preflight[1] : code,
          message: 'string',
          json: true,
        })),
      );
    }, 30_000);
  }
});
