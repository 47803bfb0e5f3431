// Issue 15, release conditions at one running node (real HTTP on 127.0.0.1, real Helia, the node's log), its clock
// and the clients' injected, so days pass without waiting: the format checked at order time; a release refused
// before notBefore (403 condition_not_met, until when) and allowed after; a dead man's switch refused before its
// period, postponed by each check-in, released after; a cancel that stops it and deletes the secret; only the
// principal checks in or cancels; every step in the order's chain and in the node's log; the chain verifies; a
// restart keeps the conditions and the latest check-in, and finishes a cancel recorded but not committed.
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import { verifyLogReceipt } from '../../src/core/api/log-proof.ts';
import type { NodeSession, StepResult } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { fromBase64 } from '../../src/core/bytes.ts';
import type { Conditions } from '../../src/core/protocol/conditions.ts';
import { verifyChain } from '../../src/core/protocol/index.ts';
import { assertRedeemer } from '../../src/core/protocol/intent.ts';
import { FilePendingSteps } from '../../src/node/storage/pending.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { parseRedeemReply } from '../../src/plugins/safeguard/schema.ts';
import {
  aliceBobMallory,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const DAY = 86_400_000;
let clock = Date.now();
const now = () => clock;

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;
let asAlice: NodeSession, asBob: NodeSession, asMallory: NodeSession;

async function connect(): Promise<void> {
  const session = (who: KeyIdentity) => clientOf(node.url, who, { now, registerFirst: true });
  [asAlice, asBob, asMallory] = await Promise.all([session(alice), session(bob), session(mallory)]);
}

beforeAll(async () => {
  tmp = await tempDir('dta-conditions-');
  home = await makeHome(join(tmp.dir, 'node'));
  node = await startInProcess(home, { now });
  [alice, bob, mallory] = await aliceBobMallory();
  await connect();
  for (const s of [asAlice, asBob, asMallory]) await s.register();
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

const secret = () => new TextEncoder().encode(`a secret for bob ${Math.random()}`);

/** Alice's safeguard order for Bob with `conditions`; the order id. */
async function orderFor(conditions: unknown, deposited = secret()): Promise<string> {
  const result = await orderSafeguardWith(asAlice, {
    beneficiary: bob.identity.cid,
    secret: deposited,
    conditions: conditions as Conditions,
  });
  return result.reply.order;
}

async function refusal(call: () => Promise<unknown>): Promise<NodeApiError> {
  try {
    await call();
  } catch (e) {
    if (e instanceof NodeApiError) return e;
    throw e;
  }
  throw new Error('the node accepted it');
}

const redeem = (order: string, as = asBob) => as.redeem('safeguard', order);
const released = (r: StepResult) => parseRedeemReply(r.content).secret;

describe('release conditions: the format', () => {
  it.each([
    ['no condition', {}],
    ['an unknown condition', { after: 5 }],
    ['notBefore as text', { notBefore: '2027-01-01' }],
    ['a negative notBefore', { notBefore: -1 }],
    ['a check-in period under an hour', { checkIn: { every: 60_000 } }],
    ['a check-in period over ten years', { checkIn: { every: 3651 * DAY } }],
    ['a check-in without its period', { checkIn: {} }],
    ['an issuer over plain http', { oidc: { issuer: 'http://id.example.org', subject: 'bob' } }],
    ['both subject and email', { oidc: { issuer: 'https://id.example.org', subject: 'b', email: 'b@example.org' } }],
    ['an email without @', { oidc: { issuer: 'https://id.example.org', email: 'bob' } }],
  ])('%s is 400 malformed', async (_what, conditions) => {
    const e = await refusal(() => orderFor(conditions));
    expect([e.status, e.code]).toEqual([400, 'malformed']);
    expect(e.message).toMatch(/^release conditions: conditions/);
  });

  it('a plugin that takes no conditions (mpin) refuses them, before reading its own content', async () => {
    const e = await refusal(() => asAlice.order('mpin', { conditions: { notBefore: clock + DAY } }));
    expect([e.status, e.code, e.message]).toEqual([400, 'bad_request', 'plugin mpin takes no release conditions']);
  });

  it('an oidc condition at a node that trusts no issuer is refused: untrusted_issuer', async () => {
    const oidc = { issuer: 'https://id.example.org', email: 'bob@example.org' };
    const e = await refusal(() =>
      orderSafeguardWith(asAlice, { beneficiary: alice.identity.cid, secret: secret(), conditions: { oidc } }),
    );
    expect([e.status, e.code]).toEqual([400, 'untrusted_issuer']);
  });
});

describe('notBefore', () => {
  it('refuses a release before the time (403 condition_not_met, until then), releases after', async () => {
    const notBefore = clock + 30 * DAY;
    const deposited = secret();
    const order = await orderFor({ notBefore }, deposited);
    const e = await refusal(() => redeem(order));
    expect([e.status, e.code]).toEqual([403, 'condition_not_met']);
    expect(e.unmet).toEqual([{ condition: 'notBefore', until: notBefore }]);
    expect(e.message).toContain(`not before ${new Date(notBefore).toISOString()}`);
    expect((await node.rt.orders.get(order))!.record.history).toHaveLength(2); // the refusal left no trace
    clock = notBefore;
    const result = await redeem(order);
    expect(released(result)).toEqual(deposited);
    expect(result.envelope.value.header.created).toBeGreaterThanOrEqual(notBefore);
  });

  it('a stranger learns no condition: 403 not_beneficiary first', async () => {
    const order = await orderFor({ notBefore: clock + DAY });
    const e = await refusal(() => redeem(order, asMallory));
    expect([e.status, e.code, e.unmet]).toEqual([403, 'not_beneficiary', []]);
  });
});

describe("a dead man's switch", () => {
  let order: string;
  const deposited = secret();
  const every = 90 * DAY;
  let orderedAt: number;

  it('refuses a release before the period, from the time of the node reply', async () => {
    order = await orderFor({ checkIn: { every } }, deposited);
    const stored = (await node.rt.orders.get(order))!;
    orderedAt = (await readHistory(order))[1]!.created;
    expect(stored.record.conditions).toEqual({ checkIn: { every } });
    clock += every - DAY;
    const e = await refusal(() => redeem(order));
    expect([e.code, e.unmet]).toEqual(['condition_not_met', [{ condition: 'checkIn', until: orderedAt + every }]]);
    expect(e.message).toContain('unless they check in again');
  });

  it('only the principal checks in (403 not_principal for the beneficiary and a stranger)', async () => {
    for (const who of [asBob, asMallory]) {
      const e = await refusal(() => who.checkIn('safeguard', order));
      expect([e.status, e.code]).toEqual([403, 'not_principal']);
    }
  });

  it('a check-in postpones it: the refusal now names the check-in time plus the period', async () => {
    const checkIn = await asAlice.checkIn('safeguard', order);
    expect(checkIn.reply.status).toBe('open');
    expect(checkIn.content).toEqual({ order });
    const checkedIn = checkIn.envelope.value.header.created;
    expect(checkedIn).toBe(clock);
    clock = orderedAt + every + DAY; // past the first deadline
    const e = await refusal(() => redeem(order));
    expect(e.unmet).toEqual([{ condition: 'checkIn', until: checkedIn + every }]);
  });

  it('a check-in past the deadline, before any redeem, is accepted (the principal is alive)', async () => {
    const last = (await node.rt.orders.get(order))!.record.checkedIn!;
    clock = last + every + DAY;
    const late = await asAlice.checkIn('safeguard', order);
    expect((await node.rt.orders.get(order))!.record.checkedIn).toBe(late.envelope.value.header.created);
  });

  it('releases once the period passes without a check-in', async () => {
    clock = (await node.rt.orders.get(order))!.record.checkedIn! + every;
    const result = await redeem(order);
    expect(released(result)).toEqual(deposited);
    const e = await refusal(() => asAlice.checkIn('safeguard', order));
    expect([e.status, e.code]).toEqual([409, 'conflict']);
  });

  it('every step is in the chain and in the node log, and the chain verifies', async () => {
    const history = await readHistory(order);
    const types = history.map((h) => h.type);
    expect(types).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/check-in',
      'safeguard/check-in-reply',
      'safeguard/check-in',
      'safeguard/check-in-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
    expect(
      history.filter((h) => h.type.endsWith('/check-in')).every((h) => h.sender === alice.identity.cid.toString()),
    );
    const receipt = await asAlice.api.logReceiptOf(history.map((h) => h.cid));
    await verifyLogReceipt(
      receipt,
      await asAlice.logKey(),
      history.map((h) => CID.parse(h.cid)),
    );
    const chain = await verifyChainOf(order);
    expect(chain.map((s) => s.value.header.type)).toEqual(types);
    // The beneficiary's reading: the principal's intent (with its conditions) names who may redeem.
    const intent = (await asBob.me.openEnvelope(chain[0]!)) as Record<string, unknown>;
    expect(intent.conditions).toEqual({ checkIn: { every } });
    expect(() => assertRedeemer(intent, chain)).not.toThrow();
    const other = { ...intent, beneficiary: mallory.identity.cid };
    expect(() => assertRedeemer(other, chain)).toThrow(expect.objectContaining({ reason: 'wrong_redeemer' }));
    const oidc = { issuer: 'https://id.example.org', email: 'bob@example.org' };
    expect(() => assertRedeemer({ ...other, conditions: { oidc } }, chain)).not.toThrow();
  });
});

describe('cancel', () => {
  it('only the principal cancels; a cancel stops the release and deletes the secret', async () => {
    const order = await orderFor({ checkIn: { every: 30 * DAY } });
    expect(await node.rt.home.keystore.has(`safeguard/${order}`)).toBe(true);
    const e = await refusal(() => asBob.cancel('safeguard', order));
    expect([e.status, e.code]).toEqual([403, 'not_principal']);
    const cancelled = await asAlice.cancel('safeguard', order);
    expect(cancelled.reply.status).toBe('cancelled');
    expect(await node.rt.home.keystore.has(`safeguard/${order}`)).toBe(false);
    clock += 31 * DAY;
    const late = await refusal(() => redeem(order));
    expect([late.status, late.code]).toEqual([409, 'cancelled']);
    for (const step of [() => asAlice.checkIn('safeguard', order), () => asAlice.cancel('safeguard', order)]) {
      expect((await refusal(step)).code).toBe('cancelled');
    }
    const view = await asBob.api.order(order);
    expect(view.order.status).toBe('cancelled');
    expect(view.order).not.toHaveProperty('conditions'); // the public summary shows no condition
    expect(view.history.map((h) => h.type).slice(2)).toEqual(['safeguard/cancel', 'safeguard/cancel-reply']);
    expect((await verifyChainOf(order)).at(-1)!.value.header.type).toBe('safeguard/cancel-reply');
  });

  it('an order without conditions cannot be cancelled or checked in (400 bad_request)', async () => {
    const plain = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 32 });
    for (const step of [
      () => asAlice.checkIn('safeguard', plain.reply.order),
      () => asAlice.cancel('safeguard', plain.reply.order),
    ]) {
      const e = await refusal(step);
      expect([e.status, e.code]).toEqual([400, 'bad_request']);
    }
    const withNotBefore = await orderFor({ notBefore: clock + DAY });
    expect((await refusal(() => asAlice.checkIn('safeguard', withNotBefore))).code).toBe('bad_request');
  });
});

describe('a restart', () => {
  it('keeps the conditions and the latest check-in (file backend)', async () => {
    const every = 10 * DAY;
    const order = await orderFor({ notBefore: clock + 20 * DAY, checkIn: { every } });
    const checkIn = await asAlice.checkIn('safeguard', order);
    const checkedIn = checkIn.envelope.value.header.created;
    await node.close();
    node = await startInProcess(home, { now });
    await connect();
    const record = (await node.rt.orders.get(order))!.record;
    expect(record.conditions).toEqual({ notBefore: clock + 20 * DAY, checkIn: { every } });
    expect(record.checkedIn).toBe(checkedIn);
    clock += 11 * DAY; // the switch has run out, notBefore has not
    const e = await refusal(() => redeem(order));
    expect(e.unmet).toEqual([{ condition: 'notBefore', until: record.conditions!.notBefore }]);
  }, 60_000);

  it('finishes a cancel the node recorded but did not commit before it stopped: the secret is deleted', async () => {
    const order = await orderFor({ checkIn: { every: 30 * DAY } });
    const view = await asAlice.api.order(order);
    const head = view.history.at(-1)!;
    const cancel = await asAlice.request({
      type: 'safeguard/cancel',
      content: {},
      order,
      previous: CID.parse(head.cid),
      created: clock,
    });
    await node.close();
    // What the node writes before forgetting the secret: the recorded step (a kill right after it leaves this).
    const pending = await FilePendingSteps.open(join(home, 'pending'));
    await pending.add({ request: cancel.cid.toString(), order, step: 'cancel', envelope: cancel.bytes });
    await pending.close();
    clock += 10 * 60_000; // past the freshness window: the start finishes it before serving
    node = await startInProcess(home, { now });
    await connect();
    const stored = (await node.rt.orders.get(order))!;
    expect(stored.record.status).toBe('cancelled');
    expect(stored.replies[cancel.cid.toString()]).toBe(stored.record.head);
    expect(await node.rt.home.keystore.has(`safeguard/${order}`)).toBe(false);
    const again = await refusal(() => asAlice.api.postPrincipalStep('cancel', order, cancel.bytes));
    expect([again.code, again.details.head]).toEqual(['replay', stored.record.head]);
  }, 60_000);
});

async function readHistory(order: string) {
  return (await asAlice.api.order(order)).history;
}

/** The order's chain from the node's history, verified with the node's resolver. */
async function verifyChainOf(order: string) {
  const view = await asAlice.api.order(order);
  const bytes = new Map(view.history.map((h) => [h.cid, fromBase64(h.envelope, 'envelope')] as const));
  const blocks = { get: async (cid: CID) => bytes.get(cid.toString())! };
  return verifyChain((await sharedCore()).bls, blocks, CID.parse(view.order.head), node.rt.identities);
}
