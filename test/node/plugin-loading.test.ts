// Plugins others write (docs/plugins.md): the example notary (examples/plugin-notary/), named only in the
// node's config.json by a module path relative to the node home, runs in a real node: a signed notary order
// through the HTTP API gets a node-signed, timestamped attestation, its route and envelopes are in
// /openapi.json. A plugin that cannot run stops `dta serve` with one readable line and a non-zero exit.

import { execFileSync, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../src/core/bytes.ts';
import { createEnvelope, isSealed, openEnvelope, recipientOf, verifyEnvelope } from '../../src/core/protocol/index.ts';
import type { DtaPlugin } from '../../src/node/plugins/types.ts';
import {
  CLI,
  clientIdentity,
  makeHome,
  NODE_BIN,
  PASSPHRASE,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const NOTARY = new URL('../../examples/plugin-notary/index.ts', import.meta.url).pathname;

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let home: string;

beforeAll(async () => {
  tmp = await tempDir('dta-plugins-');
  home = join(tmp.dir, 'notary-node');
  await mkdir(home);
  const module = relative(home, NOTARY); // "../../..": resolved against the node home
  await makeHome(home, { config: { plugins: { safeguard: {}, notary: { module, maxNoteBytes: 64 } } } });
  node = await startInProcess(home);
});
afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postJson(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('a plugin from outside src/, named only in config.json', () => {
  it('runs beside the built-ins, with its settings (without "module") as ctx.config', async () => {
    expect(node.rt.plugins.names()).toEqual(['safeguard', 'notary']);
    const info = await (await fetch(`${node.url}/v1/plugins/notary/`)).json();
    expect(info).toEqual({
      plugin: 'notary',
      version: '0.1.0',
      orderType: 'notary/order',
      digestBytes: 32,
      maxNoteBytes: 64,
      node: node.rt.identity.cid.toString(),
    });
  });

  it('answers a signed notary order with an attestation signed by the node, once', async () => {
    const core = await sharedCore();
    const alice = await clientIdentity('alice');
    expect((await postJson('/v1/identities', { identity: toBase64(alice.identity.bytes) })).status).toBe(201);
    const digest = new Uint8Array(32).fill(7);
    const env = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'notary/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(node.rt.identity)],
      content: { digest, note: 'contract v2' },
    });
    const before = Date.now();
    const r = await postJson('/v1/orders', { envelope: toBase64(env.bytes) });
    expect([r.status, r.json.order, r.json.status]).toEqual([201, env.cid.toString(), 'open']);
    const reply = await verifyEnvelope(core.bls, fromBase64(r.json.envelope), node.rt.identity);
    const { header, body } = reply.value;
    expect(header.sender.toString()).toBe(node.rt.identity.cid.toString());
    expect(header.type).toBe('notary/order-reply');
    expect(isSealed(body)).toBe(true); // to the sender, who may show it
    type Attestation = { order: string; digest: Uint8Array; note: string; time: number };
    const content = openEnvelope(reply, { cid: alice.identity.cid, xwing: alice.secrets.xwing }) as Attestation;
    expect({ ...content, digest: [...content.digest] }).toEqual({
      order: env.cid.toString(),
      digest: [...digest],
      note: 'contract v2',
      time: content.time,
    });
    expect(content.time).toBeGreaterThanOrEqual(before - 1000);
    expect(content.time).toBeLessThanOrEqual(Date.now());
    // the same request again: already committed, nothing attested twice
    const again = await postJson('/v1/orders', { envelope: toBase64(env.bytes) });
    expect([again.status, again.json.error.code, again.json.error.head]).toEqual([409, 'replay', r.json.cid]);
  });

  it('refuses content its schema does not take, as malformed', async () => {
    const core = await sharedCore();
    const bob = await clientIdentity('bob');
    await postJson('/v1/identities', { identity: toBase64(bob.identity.bytes) });
    for (const content of [
      { digest: new Uint8Array(31) },
      { digest: new Uint8Array(32), note: 'x'.repeat(65) },
      { digest: new Uint8Array(32), extra: 1 },
    ]) {
      const env = await createEnvelope(core.bls, bob.secrets.bls, {
        type: 'notary/order',
        sender: bob.identity.cid,
        recipients: [recipientOf(node.rt.identity)],
        content,
      });
      const r = await postJson('/v1/orders', { envelope: toBase64(env.bytes) });
      expect([r.status, r.json.error.code]).toEqual([400, 'malformed']);
    }
  });

  it('is in /openapi.json: its route tagged, its envelopes on the order route', async () => {
    const doc = await (await fetch(`${node.url}/openapi.json`)).json();
    expect(doc.paths['/v1/plugins/notary/'].get.tags).toEqual(['notary']);
    expect(doc.paths['/v1/plugins/notary/'].get.responses['200'].content['application/json'].schema.required).toContain(
      'maxNoteBytes',
    );
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(['safeguard', 'notary']);
    expect(Object.keys(doc.paths['/v1/orders'].post['x-dta-envelopes'])).toEqual(['safeguard/order', 'notary/order']);
    expect(doc.components.schemas['notary.order-reply'].required).toEqual(['order', 'digest', 'time']);
  });
});

describe('a plugin whose routes or document do not check out stops the node, naming it', () => {
  const plugin = (routes: DtaPlugin['routes'], openapi?: object): DtaPlugin =>
    ({ name: 'bad', version: '1', routes, ...(openapi ? { openapi } : {}) }) as DtaPlugin;

  it('a route without a schema, a schema that does not compile, an openapi fragment with paths', async () => {
    const h = join(tmp.dir, 'bad-routes');
    await mkdir(h);
    await makeHome(h);
    const cases: [DtaPlugin, RegExp][] = [
      [
        plugin(async (app) => void app.get('/x', async () => ({}))),
        /^plugin "bad": route GET \/v1\/plugins\/bad\/x declares no schema/,
      ],
      [
        plugin(async (app) => void app.post('/x', { schema: { body: { type: 'nonsense' } } }, async () => ({}))),
        /^plugin "bad": a route schema does not compile: .*\/v1\/plugins\/bad\/x/,
      ],
      [plugin(undefined, { paths: { '/x': {} } }), /^plugin "bad": openapi "paths" is no longer read/],
    ];
    for (const [p, expected] of cases) {
      const started = startInProcess(h, { plugins: [p] });
      await expect(started).rejects.toThrow(expected);
    }
  });
});

describe('a plugin that cannot run stops `dta serve` with one readable line', () => {
  /** A fresh home whose config.json names plugin `name` with `settings`; fixture modules written into it. */
  async function homeWith(dir: string, name: string, settings: object, files: Record<string, string> = {}) {
    const h = join(tmp.dir, dir);
    await mkdir(h);
    for (const [file, text] of Object.entries(files)) await writeFile(join(h, file), text);
    const home = await makeHome(h, { config: { plugins: { [name]: settings } } });
    // Owner-only already, as dta init leaves a home: the one line printed is the plugin's, not the mode repair's.
    execFileSync('chmod', ['-R', 'go-rwx', h]);
    return home;
  }

  /** Runs `dta serve` on `h` until it exits (it must, within 60 s): its exit code and the lines it printed. */
  function serve(h: string): Promise<{ code: number | null; lines: string[] }> {
    const proc = spawn(NODE_BIN, [CLI, 'serve', '--home', h], {
      env: { PATH: process.env.PATH ?? '', HOME: h, DTA_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    return new Promise((resolve) =>
      proc.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, lines: out.split('\n').filter((l) => l.trim() !== '') });
      }),
    );
  }

  it('not found, throws on import, not a DtaPlugin, another name, bad settings, unknown built-in', async () => {
    const cases: [string, string, Record<string, unknown>, Record<string, string>, RegExp][] = [
      [
        'missing',
        'notary',
        { module: './plugins/nowhere.ts' },
        {},
        /^dta serve: plugin "notary": module "\.\/plugins\/nowhere\.ts" not found/,
      ],
      [
        'throws',
        'notary',
        { module: './boom.mjs' },
        { 'boom.mjs': 'throw new Error("boom at import");\n' },
        /^dta serve: plugin "notary": module "\.\/boom\.mjs" failed to load: boom at import$/,
      ],
      [
        'shape',
        'notary',
        { module: './shape.mjs' },
        { 'shape.mjs': 'export default { name: "notary" };\n' },
        /^dta serve: plugin "notary": the export of module "\.\/shape\.mjs" is not a DtaPlugin: it has no version$/,
      ],
      [
        'named',
        'notary',
        { module: './other.mjs' },
        { 'other.mjs': 'export default { name: "other", version: "1", async order() { return {}; } };\n' },
        /^dta serve: plugin "notary": module "\.\/other\.mjs" exports a plugin named "other"; its key in config/,
      ],
      [
        'settings',
        'notary',
        { module: NOTARY, maxNoteBytes: 'many' },
        {},
        /^dta serve: plugin "notary": settings\.maxNoteBytes: /,
      ],
      [
        'unknown',
        'nosuch',
        {},
        {},
        /^dta serve: unknown plugin "nosuch" \(built in: safeguard, bitcoin, mpin, custody\)/,
      ],
    ];
    const homes = await Promise.all(cases.map(([dir, name, settings, files]) => homeWith(dir, name, settings, files)));
    const runs = [];
    for (let i = 0; i < homes.length; i += 2) {
      // two at a time: two cores
      runs.push(...(await Promise.all(homes.slice(i, i + 2).map(serve))));
    }
    for (const [i, [dir, , , , expected]] of cases.entries()) {
      const { code, lines } = runs[i]!;
      expect({ dir, code, lines }).toEqual({ dir, code: 1, lines: [expect.stringMatching(expected)] });
    }
  }, 240_000);
});
