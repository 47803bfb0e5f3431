// What quota-crash.test.ts (the file stores) and postgres/quota-crash-postgres.test.ts share: the order steps that
// end in every way a step can end (uninterrupted, killed after its record, killed after its plugin, refused, failed
// with a 5xx) on one node's home, each checked against the principal's usage as the node's usage store reads it
// once the node stopped. The invariant (src/node/limits/usage-store.ts): every recorded order step and every
// committed order holds exactly one reservation, so each order finished, however, counts one order and the bytes
// of an uninterrupted one, and a refused one counts nothing.
import { expect } from 'vitest';
import type { SentRequest } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { DEFAULT_FRESHNESS_MS } from '../../src/node/config.ts';
import safeguard from '../../src/node/plugins/safeguard/index.ts';
import type { DtaPlugin } from '../../src/node/plugins/types.ts';
import { postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf, startInProcess } from './harness.ts';

type Reply = { cid?: string; error?: { code: string; order?: string } };
const post = postEnvelope<Reply>;

export interface QuotaCrashSetup {
  readonly home: string;
  readonly alice: KeyIdentity;
  readonly bob: KeyIdentity;
  /** Someone the node does not know: an order for them is refused by the plugin. */
  readonly mallory: KeyIdentity;
  /** Alice's usage as the stopped node's usage store holds it: [orders, bytes] ([0, 0] when none). */
  usage(): Promise<[number, number]>;
  /** The number of requests recorded and not committed. */
  recorded(): Promise<number>;
  /** Leaves the stopped node's counts as a kill would (files: the snapshot not clean, counted again at start). */
  asIfKilled(): Promise<void>;
  /** Where a child started by a case is kept, so that the test's afterAll can kill it on a failure. */
  track(child: Child | undefined): void;
}

/** Alice's safeguard order for `beneficiary`, signed against the node at `url`. */
async function orderOf(url: string, s: QuotaCrashSetup, beneficiary = s.bob): Promise<SentRequest> {
  const asAlice = await clientOf(url, s.alice);
  return asAlice.request({
    type: 'safeguard/order',
    content: { beneficiary: beneficiary.identity.cid, generate: 32 },
    intentFor: beneficiary.identity,
  });
}

/** `dta serve` over the home with `failpoint` armed; one order, which kills it; returns that order. */
async function killedAt(s: QuotaCrashSetup, failpoint: string): Promise<SentRequest> {
  const child = await serveHome(s.home, failpoint, 60_000); // a slow start under load is not a failure
  s.track(child);
  const order = await orderOf(child.url, s);
  expect(await post(child.url, '/v1/orders', order.bytes)).toBeUndefined();
  expect(await child.exited).toBe('SIGKILL');
  s.track(undefined);
  return order;
}

/** The safeguard plugin whose order step runs, then fails with a plain error (a 5xx) while `failing()` says so. */
function failingSafeguard(failing: () => boolean): DtaPlugin {
  return {
    ...safeguard,
    order: async (ctx, req) => {
      const reply = await safeguard.order!(ctx, req);
      if (failing()) throw new Error('test: the step failed after its plugin ran');
      return reply;
    },
  };
}

/** Runs every case in turn on the setup's home, checking Alice's usage after each. */
export async function orderStepsCountOnce(s: QuotaCrashSetup): Promise<void> {
  expect(await s.usage()).toEqual([0, 0]);

  // Uninterrupted: what one order counts.
  let node = await startInProcess(s.home);
  try {
    const first = await post(node.url, '/v1/orders', (await orderOf(node.url, s)).bytes);
    expect(first?.status).toBe(201);
  } finally {
    await node.close();
  }
  const [one, bytes] = await s.usage();
  expect(one).toBe(1);
  expect(bytes).toBeGreaterThan(0);

  // Killed after its record, finished by recovery at a start past its window; the late retry is a replay.
  const early = await killedAt(s, 'order:after-record');
  node = await startInProcess(s.home, { now: () => Date.now() + DEFAULT_FRESHNESS_MS + 60_000 });
  try {
    const retry = await post(node.url, '/v1/orders', early.bytes);
    expect([retry?.status, retry?.json.error?.code]).toEqual([409, 'replay']);
  } finally {
    await node.close();
  }
  expect(await s.usage()).toEqual([2, 2 * bytes]);

  // Killed after its plugin, finished by the client's retry within its window.
  const late = await killedAt(s, 'order:after-plugin');
  node = await startInProcess(s.home);
  try {
    expect((await post(node.url, '/v1/orders', late.bytes))?.status).toBe(201);
    expect((await post(node.url, '/v1/orders', late.bytes))?.json.error?.code).toBe('replay');
  } finally {
    await node.close();
  }
  expect(await s.usage()).toEqual([3, 3 * bytes]);
  expect(await s.recorded()).toBe(0);

  // Refused by its plugin (a beneficiary the node does not know): nothing counted, nothing recorded.
  node = await startInProcess(s.home);
  try {
    const refused = await post(node.url, '/v1/orders', (await orderOf(node.url, s, s.mallory)).bytes);
    expect([refused?.status, refused?.json.error?.code]).toEqual([400, 'bad_request']);
  } finally {
    await node.close();
  }
  expect(await s.usage()).toEqual([3, 3 * bytes]);
  expect(await s.recorded()).toBe(0);

  // Failed with a 5xx after its plugin: still recorded and counted (its request's bytes), through a kill too; its
  // retry, on the same node once the failure is gone, commits it without counting it again.
  let failing = true;
  node = await startInProcess(s.home, { plugins: [failingSafeguard(() => failing)] });
  let failed: SentRequest;
  try {
    failed = await orderOf(node.url, s);
    expect((await post(node.url, '/v1/orders', failed.bytes))?.status).toBe(500);
  } finally {
    await node.close();
  }
  expect(await s.recorded()).toBe(1);
  const [four, held] = await s.usage();
  expect([four, held - 3 * bytes]).toEqual([4, failed.bytes.length]);
  await s.asIfKilled(); // the counts made again at start hold the recorded step too
  node = await startInProcess(s.home, { plugins: [failingSafeguard(() => failing)] });
  try {
    expect((await post(node.url, '/v1/orders', failed.bytes))?.status).toBe(500); // failed again: counted once
    failing = false;
    expect((await post(node.url, '/v1/orders', failed.bytes))?.status).toBe(201);
  } finally {
    await node.close();
  }
  expect(await s.usage()).toEqual([4, 4 * bytes]);
  expect(await s.recorded()).toBe(0);
}
