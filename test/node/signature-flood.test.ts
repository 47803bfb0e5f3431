/**
 * Issue 13, F1: forged signatures must not buy pairings. The node checks the cheap things first (canonical
 * decoding, addressed to it, version and freshness, the sender known) and counts the signatures that fail per
 * client address: past its budget a client is refused 429 rate_limited with Retry-After before any signature of
 * its is checked again (a valid one included), while another address is served. Senders this node does not
 * know share a node-wide budget of lookups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { createEnvelope, recipientOf } from '../../src/core/protocol/index.ts';
import { postFrom } from './edge-client.ts';
import { clientIdentity, makeHome, type RunningNode, sharedCore, startInProcess, tempDir } from './harness.ts';

const BUDGET = 4;
let node: RunningNode;
let alice: KeyIdentity;
let mallory: KeyIdentity;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const t = await tempDir('dta-sigflood-');
  cleanups.push(t.cleanup);
  const config = { failedSignaturesPerMinute: BUDGET, unknownSendersPerMinute: 2, plugins: ['safeguard'] };
  node = await startInProcess(await makeHome(t.dir, { config }));
  cleanups.push(() => node.close());
  [alice, mallory] = await Promise.all([clientIdentity('alice'), clientIdentity('mallory')]);
  expect((await postFrom(`${node.url}/v1/identities`, alice.identity.bytes)).status).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** An order envelope naming `sender`, signed with `signer`'s key (another's: a forged signature). */
async function order(signer: KeyIdentity, sender: KeyIdentity, created = Date.now()): Promise<Uint8Array> {
  const core = await sharedCore();
  const env = await createEnvelope(core.bls, signer.secrets.bls, {
    type: 'safeguard/order',
    sender: sender.identity.cid,
    recipients: [recipientOf(node.rt.identity)],
    created,
    content: { forged: signer !== sender },
  });
  return env.bytes;
}

const orders = (from: string, bytes: Uint8Array) => postFrom(`${node.url}/v1/orders`, bytes, from);

describe('cheap checks before the signature', () => {
  it('a stale forged request is refused as stale and costs nothing of the budget', async () => {
    for (let i = 0; i < BUDGET + 2; i++) {
      const r = await orders('127.0.0.5', await order(mallory, alice, Date.now() - 3600_000));
      expect([r.status, r.json.error.code]).toEqual([401, 'stale']);
    }
    const signed = await orders('127.0.0.5', await order(alice, alice));
    expect(signed.status).not.toBe(401);
    expect(signed.status).not.toBe(429);
  });

  it('senders the node does not know share a node-wide budget of lookups', async () => {
    const strangers = await Promise.all(['s1', 's2', 's3'].map(clientIdentity));
    const codes = [];
    for (const s of strangers) codes.push((await orders('127.0.0.6', await order(s, s))).json.error.code);
    expect(codes).toEqual(['unknown_identity', 'unknown_identity', 'rate_limited']);
  });
});

describe('failed signatures are counted per client address', () => {
  it(`refuses a client after ${BUDGET} bad signatures with 429 and Retry-After, a valid request too`, async () => {
    for (let i = 0; i < BUDGET; i++) {
      const r = await orders('127.0.0.2', await order(mallory, alice));
      expect([r.status, r.json.error.code]).toEqual([401, 'bad_signature']);
    }
    const refused = await orders('127.0.0.2', await order(mallory, alice));
    expect([refused.status, refused.json.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A correctly signed request from the same address is refused before its signature is looked at.
    const valid = await orders('127.0.0.2', await order(alice, alice));
    expect([valid.status, valid.json.error.code]).toEqual([429, 'rate_limited']);
  });

  it('another address is served meanwhile, and its good signatures cost it nothing', async () => {
    for (let i = 0; i < BUDGET + 2; i++) {
      const r = await orders('127.0.0.3', await order(alice, alice));
      expect(r.status).not.toBe(401);
      expect(r.status).not.toBe(429);
    }
    const forged = await orders('127.0.0.3', await order(mallory, alice));
    expect(forged.json.error.code).toBe('bad_signature');
  });
});
