// Compressed responses, read off the wire (node:http, which does not decode): the app's JS and /openapi.json in
// brotli or gzip as Accept-Encoding asks, decoding to exactly the bytes of the file or the JSON; nothing
// compressed for a client that does not ask, for a body under 1 KiB, for images, or for replies that carry
// identity documents or envelopes (base64 of keys and ciphertext: a POST's reply, an identity lookup), however
// large. The app's files are compressed once per version (src/node/http/static-copies.ts): a file changed in place
// is sent as it now is; ranges and revalidations stay uncompressed. The built app's own largest JS asset is checked
// in the e2e suite (harness.e2e.ts), which builds it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get, request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.ts';
import { clientIdentity, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let app: string;

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** GET `url` as sent on the wire (no decoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  });
}

/** POST `body` as JSON to `url`, the reply as sent on the wire. */
function rawPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(JSON.stringify(body));
  });
}

const decoded = (r: Raw): Buffer =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body;

/** Some JavaScript that compresses like real code (repeated identifiers), `size` bytes or so. */
const script = (size: number) =>
  Array.from({ length: Math.ceil(size / 40) }, (_, i) => `export const value${i} = computeSomething(${i}, "x");\n`)
    .join('')
    .slice(0, size);

beforeAll(async () => {
  tmp = await tempDir('dta-compress-');
  app = join(tmp.dir, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), `<!doctype html><title>dta</title>${'<p>the app</p>'.repeat(200)}`);
  await writeFile(join(app, 'assets', 'big-0123abcd.js'), script(60_000));
  await writeFile(join(app, 'assets', 'tiny-0123abcd.js'), script(300));
  await writeFile(join(app, 'assets', 'icon-0123abcd.png'), Buffer.alloc(4000, 7));
  node = await startInProcess(await makeHome(join(tmp.dir, 'node'), { config: { plugins: [] } }), { appRoot: app });
}, 60_000);
afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('compression', () => {
  it('the app: JS in br or gzip as asked, decoding to the file; identity when not asked', async () => {
    const file = await readFile(join(app, 'assets', 'big-0123abcd.js'));
    const url = `${node.url}/assets/big-0123abcd.js`;
    for (const encoding of ['br', 'gzip']) {
      const r = await rawGet(url, { 'accept-encoding': encoding });
      expect([r.status, r.headers['content-encoding'], r.headers.vary]).toEqual([200, encoding, 'accept-encoding']);
      expect(r.body.length).toBeLessThan(file.length / 4);
      expect(decoded(r).equals(file)).toBe(true);
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const plain = await rawGet(url);
    expect([plain.headers['content-encoding'], plain.body.equals(file)]).toEqual([undefined, true]);
    const page = await rawGet(`${node.url}/`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(page.headers['content-encoding']).toBe('br'); // the client's list, brotli preferred
    expect(decoded(page).toString()).toBe(await readFile(join(app, 'index.html'), 'utf8'));
  });

  it("the app's files: a file changed in place is sent anew; q-values; ranges, HEAD and 304s", async () => {
    const path = join(app, 'assets', 'changing-0123abcd.js');
    const url = `${node.url}/assets/changing-0123abcd.js`;
    for (const size of [20_000, 30_000]) {
      const file = Buffer.from(`// ${size}\n${script(size)}`);
      await writeFile(path, file);
      for (let i = 0; i < 2; i++) {
        const r = await rawGet(url, { 'accept-encoding': 'br' });
        expect([r.status, r.headers['content-encoding'], Number(r.headers['content-length'])]).toEqual([
          200,
          'br',
          r.body.length,
        ]);
        expect(decoded(r).equals(file)).toBe(true);
      }
    }
    expect((await rawGet(url, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await rawGet(url, { 'accept-encoding': 'gzip;q=0.5, br;q=0.8' })).headers['content-encoding']).toBe('br');
    expect((await rawGet(url, { 'accept-encoding': '*' })).headers['content-encoding']).toBe('br');
    const identity = await rawGet(url, { 'accept-encoding': 'identity' });
    expect([identity.headers['content-encoding'], identity.headers.vary]).toEqual([undefined, 'accept-encoding']);
    const range = await rawGet(url, { 'accept-encoding': 'br', range: 'bytes=0-99' });
    expect([range.status, range.headers['content-encoding'], range.body.length]).toEqual([206, undefined, 100]);
    const first = await rawGet(url, { 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    const revalidated = await rawGet(url, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect([revalidated.status, revalidated.body.length]).toEqual([304, 0]);
  });

  it('not compressed: a body under 1 KiB, an image', async () => {
    const tiny = await rawGet(`${node.url}/assets/tiny-0123abcd.js`, { 'accept-encoding': 'gzip' });
    expect([tiny.status, tiny.headers['content-encoding'], tiny.body.length]).toEqual([200, undefined, 300]);
    const png = await rawGet(`${node.url}/assets/icon-0123abcd.png`, { 'accept-encoding': 'gzip' });
    expect([png.status, png.headers['content-encoding'], png.body.length]).toEqual([200, undefined, 4000]);
    const health = await rawGet(`${node.url}/healthz`, { 'accept-encoding': 'gzip' });
    expect([health.headers['content-encoding'], JSON.parse(health.body.toString())]).toEqual([
      undefined,
      { status: 'ok' },
    ]);
  });

  it('/openapi.json in br or gzip decodes to the same JSON', async () => {
    const plain = await rawGet(`${node.url}/openapi.json`);
    for (const encoding of ['br', 'gzip']) {
      const r = await rawGet(`${node.url}/openapi.json`, { 'accept-encoding': encoding });
      expect([r.status, r.headers['content-encoding']]).toEqual([200, encoding]);
      expect(r.body.length).toBeLessThan(plain.body.length / 3);
      expect(JSON.parse(decoded(r).toString())).toEqual(JSON.parse(plain.body.toString()));
    }
  });

  it('not compressed: replies that carry identity documents or envelopes, over 1 KiB', async () => {
    const alice = await clientIdentity('alice');
    const cid = alice.identity.cid.toString();
    const asked = { 'accept-encoding': 'br, gzip' };
    const posted = await rawPost(`${node.url}/v1/identities`, { identity: toBase64(alice.identity.bytes) }, asked);
    expect([posted.status, posted.headers['content-encoding']]).toEqual([201, undefined]);
    expect(posted.body.length).toBeGreaterThan(1024);
    expect(JSON.parse(posted.body.toString()).cid).toBe(cid);
    const lookup = await rawGet(`${node.url}/v1/identities/${cid}`, asked);
    expect([lookup.status, lookup.headers['content-encoding']]).toEqual([200, undefined]);
    expect(lookup.body.length).toBeGreaterThan(1024);
    expect(JSON.parse(lookup.body.toString()).identity).toBe(toBase64(alice.identity.bytes));
  });
});
