/**
 * What happens to an order step between its checks and its plugin (issue 13, F5 and the quotas), kept out of
 * orders.ts so that the order path only calls it:
 *
 *  - freshness is waived for a request the node already recorded (storage/pending.ts): it was fresh when it first
 *    arrived, so its retry is processed by its CID whatever the clock says, and finds the committed reply;
 *  - an order counts against its principal's quotas (limits/usage-store.ts), checked before the plugin runs: one
 *    order, and the request envelope's bytes (a deposited secret travels inside it); the reply's bytes are added at
 *    the commit without a check, so usage passes a bytes limit by at most one reply. Redeem steps are not counted:
 *    a quota must never keep a beneficiary from its secret, and one redeem per order bounds what it adds. The
 *    node's own orders are not counted. Every recorded order step and every committed order holds exactly one
 *    reservation (limits/usage-store.ts): a step is reserved (with the limits) only when it is recorded, so a
 *    recorded request's retry, or its finishing at start (orders-recovery.ts), is never counted again nor refused;
 *    a refusal (4xx) releases the reservation with the record, any other failure keeps both (the step is finished
 *    later and stays counted), the commit adds the reply's bytes and forgets the record;
 *  - the request is recorded, durably, before the plugin runs, and forgotten once its reply is committed or it is
 *    refused; a refusal also deletes what the plugin keeps under the order's id (`<plugin>/<order>`), so a refused
 *    request leaves no record and no secret (a secret is only ever released through a committed order).
 * @module
 */
import { decodeEnvelope, type VerifiedEnvelope } from '../core/protocol/index.ts';
import type { EnvelopeHeader } from '../core/protocol/types.ts';
import { failpoint } from './failpoints.ts';
import type { RequestAuth } from './http/auth.ts';
import type { Keystore } from './keystore/types.ts';
import type { CountedUsage } from './limits/file-usage-store.ts';
import type { UsageStore } from './limits/usage-store.ts';
import { parseStepType } from './plugins/host.ts';
import type { OrderRecords } from './storage/backend.ts';
import type { PendingStep, PendingSteps } from './storage/pending.ts';

/** Orders and bytes one identity may keep on the node; 0 is no limit. */
export interface QuotaLimits {
  readonly orders: number;
  readonly bytes: number;
}

export interface AdmissionDeps {
  readonly auth: RequestAuth;
  readonly pending: PendingSteps;
  readonly usage: UsageStore;
  readonly limits: QuotaLimits;
  /** The node's identity CID: its own orders are not counted. */
  readonly node: string;
  /** The node's keystore, to delete what a refused order left under its id. */
  readonly keystore: Keystore;
}

/** A step admitted and recorded: its outcome must be reported, exactly once. */
export interface Admitted {
  /** The reply (`replyBytes` long) is committed: counted, and the record forgotten. */
  committed(replyBytes: number): Promise<void>;
  /** The step failed before its commit: a refusal (4xx) forgets it, its secret and its count; else all stay. */
  failed(err: unknown): Promise<void>;
}

class QuotaError extends Error {
  override name = 'QuotaError';
  readonly code = 'quota_exceeded';
  readonly status: number;
  constructor(status: 413 | 429, message: string) {
    super(message);
    this.status = status;
  }
}

/** True for an error that refuses the request (4xx): retrying the same request cannot change the answer. */
export function isRefusal(err: unknown): boolean {
  const status = (err as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export class OrderAdmission {
  readonly #d: AdmissionDeps;

  constructor(deps: AdmissionDeps) {
    this.#d = deps;
  }

  /** The freshness check (RequestAuth step 6), unless the request is recorded: then it was fresh when it came. */
  async assertFresh(header: EnvelopeHeader, request: string): Promise<void> {
    if (await this.#d.pending.has(request)) return;
    this.#d.auth.assertFresh(header);
  }

  /**
   * Counts the step against the quota of `principal` (undefined: not counted) and records it durably, unless it is
   * recorded already (then it is counted already). Throws quota_exceeded (429 orders, 413 bytes) before anything is
   * recorded.
   */
  async admit(
    step: PendingStep['step'],
    env: VerifiedEnvelope,
    order: string,
    principal: string | undefined,
  ): Promise<Admitted> {
    const request = env.cid.toString();
    const counted = principal !== undefined && principal !== this.#d.node ? principal : undefined;
    const pending: PendingStep = { request, order, step, envelope: env.bytes };
    if (!(await this.#d.pending.has(request))) await this.#record(pending, counted);
    failpoint(`${step}:after-record`);
    let outcome = false;
    return {
      committed: async (replyBytes) => {
        if (outcome) return;
        outcome = true;
        if (counted !== undefined) await this.#d.usage.reserve(counted, 0, replyBytes, { orders: 0, bytes: 0 });
        await this.#d.pending.remove(request);
      },
      failed: async (err) => {
        if (outcome) return;
        outcome = true;
        if (isRefusal(err)) await this.forget(pending);
      },
    };
  }

  /** Reserves the step's count for `counted` (undefined: none), then records it; a failed record releases it. */
  async #record(step: PendingStep, counted: string | undefined): Promise<void> {
    if (counted !== undefined) await this.#reserve(counted, step.envelope.length);
    try {
      await this.#d.pending.add(step);
    } catch (err) {
      if (counted !== undefined) await this.#d.usage.release(counted, 1, step.envelope.length);
      throw err;
    }
  }

  async #reserve(identity: string, bytes: number): Promise<void> {
    const r = await this.#d.usage.reserve(identity, 1, bytes, this.#d.limits);
    if (r.ok) return;
    const used = await this.#d.usage.usage(identity);
    if (r.limit === 'orders') {
      throw new QuotaError(
        429,
        `quota exceeded: this identity has ${used.orders} orders on this node and the limit is ` +
          `${this.#d.limits.orders} (quotaOrdersPerIdentity)`,
      );
    }
    throw new QuotaError(
      413,
      `quota exceeded: this identity's orders hold ${used.bytes} bytes on this node, this request adds ${bytes} ` +
        `and the limit is ${this.#d.limits.bytes} (quotaBytesPerIdentity)`,
    );
  }

  /**
   * Forgets a refused step, when it is still recorded: its reservation, its record and, for an order, what its
   * plugin keeps under the order's id.
   */
  async forget(step: PendingStep): Promise<void> {
    if (!(await this.#d.pending.has(step.request))) return; // forgotten already: its count is released
    const held = heldBy(step, this.#d.node);
    if (held) await this.#d.usage.release(held.identity, held.orders, held.bytes);
    try {
      if (step.step === 'order') await this.#deleteSecret(step);
    } finally {
      await this.#d.pending.remove(step.request);
    }
  }

  async #deleteSecret(step: PendingStep): Promise<void> {
    let plugin: string | undefined;
    try {
      plugin = parseStepType(decodeEnvelope(step.envelope).value.header.type)?.plugin;
    } catch {
      return; // bytes that never decoded never reached a plugin
    }
    const name = `${plugin}/${step.order}`;
    if (plugin && this.#d.keystore.delete && (await this.#d.keystore.has(name))) await this.#d.keystore.delete(name);
  }
}

/**
 * The reservation a recorded step holds: one order and its request's bytes against the request's sender, for an
 * order step whose sender is not the node; none for a redeem, or for bytes that never decoded (never admitted).
 */
function heldBy(step: PendingStep, node: string): CountedUsage | undefined {
  if (step.step !== 'order') return undefined;
  let sender: string;
  try {
    sender = decodeEnvelope(step.envelope).value.header.sender.toString();
  } catch {
    return undefined;
  }
  return sender === node ? undefined : { identity: sender, orders: 1, bytes: step.envelope.length };
}

/**
 * The usage the order path holds, counted again: every committed order (one order and its first step's two
 * envelopes, request and reply, against its principal) and every recorded order step not committed (one order and
 * its request's bytes); the node's own orders not at all. For a usage store that counts again from the order files
 * and the write-ahead record (limits/file-usage-store.ts).
 */
export async function* heldUsage(store: OrderRecords, pending: PendingSteps, node: string) {
  for (const id of await store.ids()) {
    const order = await store.get(id);
    if (!order || order.record.principal === node) continue;
    const reply = order.replies[id];
    const bytes = (order.envelopes[id]?.length ?? 0) + (reply ? (order.envelopes[reply]?.length ?? 0) : 0);
    yield { identity: order.record.principal, orders: 1, bytes } satisfies CountedUsage;
  }
  for (const step of await pending.list()) {
    const held = heldBy(step, node);
    if (held && (await store.get(step.order))?.replies[step.request] === undefined) yield held;
  }
}
