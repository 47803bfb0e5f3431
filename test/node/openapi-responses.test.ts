// /openapi.json tells the truth about responses: the node writes replies with JSON.stringify (a schema never
// filters what a client reads), so this test holds what real routes answer — the node's, each built-in
// plugin's, the example notary's, successes and refusals — to the schemas the document declares for them.

import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import { createEnvelope, recipientOf } from '../../src/core/protocol/index.ts';
import { clientIdentity, makeHome, type RunningNode, sharedCore, startInProcess, tempDir } from './harness.ts';

const NOTARY = new URL('../../examples/plugin-notary/index.ts', import.meta.url).pathname;

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let ajv: Ajv;

/** The JSON Pointer of the schema the document declares for `method path` answering `status` in JSON. */
function schemaPointer(path: string, method: string, status: number): string {
  const esc = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
  return `doc#/paths/${esc(path)}/${method}/responses/${status}/content/${esc('application/json')}/schema`;
}

/** Fetches `url` and checks its JSON body against the document's schema for (`path`, `method`, its status). */
async function holds(path: string, url: string, init: RequestInit = {}): Promise<{ status: number; json: unknown }> {
  const method = (init.method ?? 'GET').toLowerCase();
  const res = await fetch(`${node.url}${url}`, init);
  const json = (await res.json()) as unknown;
  const validate: ValidateFunction | undefined = ajv.getSchema(schemaPointer(path, method, res.status));
  expect({ path, method, status: res.status, declared: validate !== undefined }).toEqual({
    path,
    method,
    status: res.status,
    declared: true,
  });
  const ok = validate!(json);
  expect({ path, method, status: res.status, errors: ok ? null : validate!.errors }).toEqual({
    path,
    method,
    status: res.status,
    errors: null,
  });
  return { status: res.status, json };
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  tmp = await tempDir('dta-openapi-');
  const home = join(tmp.dir, 'n');
  await mkdir(home);
  await makeHome(home, {
    config: { plugins: { safeguard: {}, bitcoin: {}, mpin: {}, notary: { module: relative(home, NOTARY) } } },
  });
  node = await startInProcess(home);
  const doc = (await (await fetch(`${node.url}/openapi.json`)).json()) as object;
  // The document is data to Ajv: its own keywords (paths, responses...) are not schema keywords.
  ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ ...doc, $id: 'doc' });
});
afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('responses match the schemas /openapi.json declares', () => {
  it('(control: the schemas are resolved and do refuse what does not fit)', () => {
    const status = ajv.getSchema(schemaPointer('/v1/status', 'get', 200))!;
    expect(status({ identity: 'x' })).toBe(false);
    const step = ajv.getSchema(schemaPointer('/v1/orders', 'post', 201))!;
    expect(step({ order: 'x', status: 'open', cid: 'y', envelope: 'AA==' })).toBe(false); // no `replayed`
    expect(step({ order: 'x', status: 'open', cid: 'y', envelope: 'AA==', replayed: false })).toBe(true);
  });

  it("status, discovery, the plugins' own routes", async () => {
    await holds('/v1/status', '/v1/status');
    await holds('/.well-known/dta', '/.well-known/dta');
    await holds('/v1/plugins/bitcoin/', '/v1/plugins/bitcoin/');
    await holds('/v1/plugins/mpin/', '/v1/plugins/mpin/');
    await holds('/v1/plugins/notary/', '/v1/plugins/notary/');
    await holds('/v1/plugins/mpin/login', '/v1/plugins/mpin/login', post({ id: 'x', time: 1, v: 'AA==' }));
    await holds('/v1/plugins/bitcoin/orders/{id}', '/v1/plugins/bitcoin/orders/nope', post({ envelope: 'AA==' }));
  });

  it('identities and a whole safeguard order: create, read, redeem, and the refusals on the way', async () => {
    const core = await sharedCore();
    const self = node.self;
    const created = await holds('/v1/identities', '/v1/identities', post({ identity: toBase64(self.identity.bytes) }));
    expect(created.status).toBe(200); // the node knows itself
    await holds('/v1/identities/{cid}', `/v1/identities/${self.identity.cid.toString()}`);
    await holds('/v1/identities/{cid}', '/v1/identities/not-a-cid');
    const order = await createEnvelope(core.bls, self.secrets.bls, {
      type: 'safeguard/order',
      sender: self.identity.cid,
      recipients: [recipientOf(node.rt.identity)],
      sealed: true,
      content: { beneficiary: self.identity.cid, generate: 32 },
    });
    const reply = await holds('/v1/orders', '/v1/orders', post({ envelope: toBase64(order.bytes) }));
    const { order: id, cid } = reply.json as { order: string; cid: string };
    await holds('/v1/orders', '/v1/orders', post({ envelope: toBase64(order.bytes) })); // 409 replay
    await holds('/v1/orders/{id}', `/v1/orders/${id}`);
    const redeem = await createEnvelope(core.bls, self.secrets.bls, {
      type: 'safeguard/redeem',
      sender: self.identity.cid,
      recipients: [recipientOf(node.rt.identity)],
      order: id,
      previous: CID.parse(cid),
      content: {},
    });
    const redeemUrl = `/v1/orders/${id}/redeem`;
    const redeemed = await holds('/v1/orders/{id}/redeem', redeemUrl, post({ envelope: toBase64(redeem.bytes) }));
    expect(redeemed.status).toBe(200);
    await holds('/v1/orders/{id}/redeem', redeemUrl, post({ envelope: 5 })); // 400 malformed
  });

  it("a DKG session's routes: start, status, a round that aborts it, and the refusals", async () => {
    const core = await sharedCore();
    const self = node.self;
    const other = await clientIdentity('another dkg node');
    const start = async (nodes: CID[], purpose = 'safeguard:a key') => {
      const session = createSession({ group: 'bls12-381', nodes, t: 2, purpose });
      const envelope = await createEnvelope(core.bls, self.secrets.bls, {
        type: 'dkg/start',
        sender: self.identity.cid,
        recipients: [recipientOf(node.rt.identity)],
        content: { session: session.bytes, identities: [node.rt.identity.bytes, other.identity.bytes] },
      });
      return {
        session,
        res: await holds('/v1/dkg/sessions', '/v1/dkg/sessions', post({ envelope: toBase64(envelope.bytes) })),
      };
    };
    const { session, res } = await start([node.rt.identity.cid, other.identity.cid]);
    expect(res.status).toBe(200);
    expect((await start([node.rt.identity.cid, other.identity.cid], 'nope:x')).res.status).toBe(400);
    const third = (await clientIdentity('a third')).identity.cid;
    expect((await start([other.identity.cid, third])).res.status).toBe(403);
    const url = `/v1/dkg/sessions/${session.cid.toString()}`;
    await holds('/v1/dkg/sessions/{session}', url);
    await holds('/v1/dkg/sessions/{session}', '/v1/dkg/sessions/not-a-cid');
    const aborted = await holds('/v1/dkg/sessions/{session}/round1', `${url}/round1`, post({ envelopes: ['AA=='] }));
    expect((aborted.json as { phase: string }).phase).toBe('aborted');
    await holds('/v1/dkg/sessions/{session}/round2', `${url}/round2`, post({ envelopes: ['AA=='] }));
    await holds('/v1/dkg/sessions/{session}/abort', `${url}/abort`, post({ envelope: 'AA==' }));
    const unknown = createSession({
      group: 'bls12-381',
      nodes: [self.identity.cid, other.identity.cid],
      t: 2,
      purpose: 'x:y',
    });
    const missing = await holds(
      '/v1/dkg/sessions/{session}/round1',
      `/v1/dkg/sessions/${unknown.cid.toString()}/round1`,
      post({ envelopes: ['AA=='] }),
    );
    expect(missing.status).toBe(404);
  });
});
