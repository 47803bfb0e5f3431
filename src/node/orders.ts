/**
 * Order steps: creating an order ("<plugin>/order", POST /v1/orders) and
 * redeeming it ("<plugin>/redeem", POST /v1/orders/{id}/redeem). Each step
 * is one request envelope checked by RequestAuth, handed to its plugin, and
 * answered by a reply envelope the node signs, links into the order chain
 * (previous = the request) and commits to disk before the HTTP reply leaves;
 * Helia stores it moments later (storage/block-queue.ts). An order with
 * release conditions (order-conditions.ts) also takes the principal's
 * check-in and cancel ("<plugin>/check-in", "<plugin>/cancel": POST
 * /v1/orders/{id}/check-in and /cancel), and its redemption waits for them.
 *
 * A request is recorded in the replay cache once its plugin has accepted it
 * (a refused request leaves no trace), then committed with its reply.
 *
 * Replays: a request whose CID already has a committed reply is refused,
 * whatever its age, with 409 replay naming the order and the CID of the
 * node's reply step to it (public identifiers, no secret); nothing runs
 * twice and nothing changes. A client whose reply was lost (the node died
 * after committing) reads that step from GET /v1/orders/{id} (client.ts
 * does). A request the node crashed on before committing is simply
 * processed again when it is retried: the plugin finds what it committed
 * in its keystore and returns the same thing, so no second secret is ever
 * drawn. Such a request was recorded before its plugin ran (order-admission.ts,
 * storage/pending.ts), so its retry is processed whatever the clock says, and
 * the node finishes it itself when it starts again (orders-recovery.ts).
 * Each step's envelopes are then appended to the node's log (log/), fsynced and covered by a signed
 * checkpoint, and the reply carries their inclusion proofs; a step committed by a node killed before its
 * log append is appended when the node starts again (log/backfill.ts).
 * For clients: docs/protocol.md#order-chains and #replays-and-the-409-recovery.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { LogReceipt } from '../core/api/log-proof.ts';
import { openForPlugin } from '../core/crypto/plugin-seal.ts';
import type { Conditions } from '../core/protocol/conditions.ts';
import {
  createEnvelope,
  decodeEnvelope,
  type EnvelopeInit,
  isSealed,
  recipientOf,
  type VerifiedEnvelope,
} from '../core/protocol/index.ts';
import { intentRequired } from '../core/protocol/intent.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import { failpoint } from './failpoints.ts';
import type { RequestAuth } from './http/auth.ts';
import { ApiError } from './http/errors.ts';
import type { IdentityRegistry } from './identities.ts';
import { logEnvelopes } from './log/receipt.ts';
import type { NodeLog } from './log/types.ts';
import type { NodeMetrics } from './metrics/registry.ts';
import type { OidcGate } from './oidc/types.ts';
import type { Admitted, OrderAdmission } from './order-admission.ts';
import {
  assertEmptyContent,
  assertOidcBeneficiary,
  assertOpen,
  assertReleasable,
  lastCheckIn,
  orderConditions,
  withoutField,
} from './order-conditions.ts';
import { PluginError } from './plugins/errors.ts';
import { type LoadedPlugin, type PluginHost, parseStepType } from './plugins/host.ts';
import type { OpenedRequest, OrderRecord, PluginReply } from './plugins/types.ts';
import type { OrderRecords } from './storage/backend.ts';
import type { NodeStore } from './storage/helia.ts';
import type { StoredOrder } from './storage/orders.ts';

export interface CommittedStep {
  readonly order: string;
  readonly status: OrderRecord['status'];
  readonly cid: string;
  readonly envelope: Uint8Array;
  /** The step's envelopes in the node's log: a signed checkpoint and their inclusion proofs. */
  readonly log?: LogReceipt;
}

export interface OrderDeps {
  readonly core: Core;
  readonly node: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
  readonly auth: RequestAuth;
  readonly plugins: PluginHost;
  readonly orders: OrderRecords;
  readonly blocks: NodeStore;
  readonly identities: IdentityRegistry;
  /** The node's log; absent, steps are not logged (tests of other parts). */
  readonly log?: NodeLog;
  /** The node's clock (ms since the epoch); Date.now unless a test sets it. */
  readonly now?: () => number;
  /** Signs (and seals) a reply envelope with the node's key off the event loop (crypto-pool/); absent: here. */
  readonly signReply?: (init: EnvelopeInit) => Promise<{ readonly cid: CID; readonly bytes: Uint8Array }>;
  /** Counts committed steps by plugin (metrics/registry.ts); absent in tests of other parts. */
  readonly metrics?: Pick<NodeMetrics, 'ordersCommitted'>;
  /** Freshness of recorded retries, quotas, the write-ahead record (order-admission.ts); absent: none of them. */
  readonly admission?: OrderAdmission;
  /** The OpenID Connect gate (oidc/); absent: an order with an `oidc` condition is refused (untrusted_issuer). */
  readonly oidc?: OidcGate;
}

/** The principal's own steps on an order with conditions (docs/protocol.md#check-in-and-cancel). */
export type PrincipalStep = 'check-in' | 'cancel';

/** Runs a step's plugin-to-commit part, reporting its outcome to `admitted` (order-admission.ts). */
async function reported(admitted: Admitted | undefined, run: () => Promise<CommittedStep>): Promise<CommittedStep> {
  try {
    const out = await run();
    await admitted?.committed(out.envelope.length);
    return out;
  } catch (err) {
    await admitted?.failed(err);
    throw err;
  }
}

/** Refuses `request` if the node already committed a reply to it: 409 replay naming the order and that reply. */
function assertNotCommitted(stored: StoredOrder, request: string): void {
  const reply = stored.replies[request];
  if (reply === undefined) return;
  throw new ApiError(
    'replay',
    'this request was already committed; its reply is step "head" of the order (GET /v1/orders/{order})',
    {
      order: stored.record.id,
      head: reply,
    },
  );
}

/** Refuses a request created before the step it follows (a clock behind): its chain would not verify. */
function assertNotBefore(created: number, previous: Uint8Array | undefined): void {
  if (previous === undefined) throw new Error('orders: the head of an order is not stored');
  const since = decodeEnvelope(previous).value.header.created;
  if (created < since) {
    const seconds = Math.ceil((since - created) / 1000);
    throw new ApiError(
      'bad_request',
      `the request was created ${seconds} s before the step it follows; stamp it no ` +
        'earlier than that step (docs/protocol.md#clocks)',
    );
  }
}

/**
 * Refuses a new order of a plugin that writes intents, signed after the intents cut-over, that carries none (sealed
 * to this node alone): its beneficiary's app would refuse it anyway (docs/protocol.md#the-principals-intent).
 * Called after the replay check, so an old request committed before still answers 409 replay.
 */
function assertIntent(plugin: string, { header, body }: VerifiedEnvelope['value'], node: CID): void {
  if (!intentRequired(plugin, header.created) || !isSealed(body)) return; // a plain step is an intent to all
  // Sealed to more than the node, or the node's own order (sealed to itself, its beneficiary too, says the same).
  if (header.recipients.some((r) => !r.equals(node)) || header.sender.equals(node)) return;
  throw new PluginError(
    'intent_required',
    `${plugin} orders are sealed to the node and the beneficiary with the ` +
      "principal's intent; this one is sealed to the node alone: update the app (or the dta CLI)",
  );
}

/** 400 bad_request for a check-in on an order without a dead man's switch, or a cancel of one without conditions. */
function assertTakesStep(step: PrincipalStep, record: OrderRecord): void {
  if (step === 'check-in' && !record.conditions?.checkIn)
    throw new ApiError('bad_request', "this order has no check-in condition (a dead man's switch)");
  if (step === 'cancel' && !record.conditions)
    throw new ApiError('bad_request', 'only an order with release conditions can be cancelled');
}

export class OrderService {
  readonly #d: OrderDeps;
  readonly #now: () => number;

  constructor(deps: OrderDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The plugin and handler for an envelope type, or unknown_plugin / bad_request. */
  #pluginFor(type: string, step: 'order' | 'redeem') {
    const parsed = parseStepType(type);
    if (!parsed || parsed.step !== step)
      throw new ApiError('bad_request', `expected an envelope of type "<plugin>/${step}"`);
    const loaded = this.#d.plugins.get(parsed.plugin);
    if (!loaded?.plugin[step])
      throw new ApiError('unknown_plugin', `no plugin "${parsed.plugin}" takes ${step} steps on this node`);
    return loaded;
  }

  /**
   * Signs the reply envelope of a step; every recipient must resolve (it needs their X-Wing key). Its time is
   * the node's clock, but never before the request's: a request from a clock ahead (within the freshness
   * window) still makes a chain whose times never decrease (docs/protocol.md#clocks).
   */
  async #replyEnvelope(plugin: string, step: string, request: VerifiedEnvelope, order: string, reply: PluginReply) {
    const recipients = [];
    for (const cid of reply.recipients) {
      try {
        recipients.push(recipientOf(await this.#d.identities.resolve(cid)));
      } catch {
        throw new ApiError('bad_request', `the reply recipient ${String(cid)} is not known to this node`);
      }
    }
    const init: EnvelopeInit = {
      type: `${plugin}/${step}-reply`,
      sender: this.#d.node.cid,
      recipients,
      previous: request.cid,
      order,
      created: Math.max(this.#now(), request.value.header.created),
      content: reply.content,
      sealed: recipients.length > 0,
    };
    if (this.#d.signReply) return this.#d.signReply(init);
    return createEnvelope(this.#d.core.bls, this.#d.secrets.bls, init);
  }

  /** A part an order request carries (envelope bytes): by the request's sender (or `from`), to this node, version 2. */
  async #openPart(request: VerifiedEnvelope, bytes: Uint8Array, from?: CID) {
    const part = await this.#d.auth.verifyPart(request, bytes, from);
    if (!part.value.header.sender.equals(from ?? request.value.header.sender)) {
      throw new ApiError('bad_request', 'a part of the request is signed by someone else than the request');
    }
    this.#d.auth.assertCurrentVersion(part.value.header);
    return this.#d.auth.open(part);
  }

  /** Writes the order record (the commit point), hands its envelopes to Helia, appends them to the log. */
  async #commit(
    step: 'order' | 'redeem' | PrincipalStep,
    stored: StoredOrder,
    blocks: readonly { cid: CID; bytes: Uint8Array }[],
  ): Promise<{ log?: LogReceipt }> {
    await this.#d.orders.put(stored);
    failpoint(`${step}:after-commit`);
    // The record holds the envelopes: Helia gets them off the reply's path; reconcile() restores any lost.
    await this.#d.blocks.putCommitted(blocks);
    this.#d.metrics?.ordersCommitted.inc({ plugin: stored.record.plugin, step });
    return this.#d.log
      ? {
          log: await logEnvelopes(
            this.#d.log,
            blocks.map((b) => b.cid),
          ),
        }
      : {};
  }

  /** POST /v1/orders. */
  async create(bytes: Uint8Array): Promise<CommittedStep> {
    const env = await this.#d.auth.verifyRequest(bytes);
    const { header } = env.value;
    if (header.order !== '' || header.previous !== null)
      throw new ApiError('bad_request', 'the first envelope of an order has no order id and no previous link');
    const { plugin, ctx } = this.#pluginFor(header.type, 'order');
    const id = env.cid.toString();
    return this.#d.orders.withOrder(id, async () => {
      const existing = await this.#d.orders.get(id);
      if (existing) {
        assertNotCommitted(existing, id);
        throw new Error('orders: an order without its first reply');
      }
      this.#d.auth.assertCurrentVersion(header);
      await this.#assertFresh(header, id);
      assertIntent(plugin.name, env.value, this.#d.node.cid);
      const opened = this.#d.auth.open(env);
      const { content, conditions } = orderConditions(plugin, opened.content);
      if (conditions?.oidc) this.#assertOidcOrder(conditions.oidc, content, header.sender);
      const admitted = await this.#d.admission?.admit('order', env, id, header.sender.toString());
      return reported(admitted, () => this.#createStep(env, { plugin, ctx }, { ...opened, content }, conditions));
    });
  }

  /** An order released to an OpenID Connect identity: a trusted issuer, and the principal as beneficiary. */
  #assertOidcOrder(oidc: NonNullable<Conditions['oidc']>, content: unknown, principal: CID): void {
    if (!this.#d.oidc) {
      throw new PluginError('untrusted_issuer', `this node trusts no OpenID Connect issuer (${oidc.issuer})`, 400);
    }
    this.#d.oidc.assertTrusted(oidc);
    assertOidcBeneficiary(content, principal);
  }

  /** An admitted order step: its plugin (the content without its conditions), then the reply, signed and committed. */
  async #createStep(
    env: VerifiedEnvelope,
    { plugin, ctx }: LoadedPlugin,
    opened: OpenedRequest,
    conditions: Conditions | undefined,
  ): Promise<CommittedStep> {
    const { header } = env.value;
    const id = env.cid.toString();
    const reply = await plugin.order!(ctx, {
      ...opened,
      openPart: (part, from) => this.#openPart(env, part, from),
      unseal: (aad, sealed) => openForPlugin(plugin.name, this.#d.secrets.xwing, aad, sealed),
    });
    failpoint('order:after-plugin');
    await this.#d.auth.claim(env, 'orders');
    const beneficiary = (reply.beneficiary ?? header.sender).toString();
    if (conditions?.oidc) assertOidcBeneficiary({ beneficiary: reply.beneficiary }, header.sender);
    if (!reply.recipients.some((r) => r.toString() === beneficiary)) {
      throw new Error(
        `plugin ${plugin.name}: the order reply must be addressed to the beneficiary (it sends the next step)`,
      );
    }
    const out = await this.#replyEnvelope(plugin.name, 'order', env, id, reply);
    const record: OrderRecord = {
      id,
      plugin: plugin.name,
      principal: header.sender.toString(),
      beneficiary,
      head: out.cid.toString(),
      history: [id, out.cid.toString()],
      status: 'open',
      created: header.created,
      ...(conditions ? { conditions } : {}),
    };
    const stored: StoredOrder = {
      record,
      envelopes: { [id]: env.bytes, [record.head]: out.bytes },
      replies: { [id]: record.head },
    };
    const logged = await this.#commit('order', stored, [env, out]);
    return { order: id, status: record.status, cid: record.head, envelope: out.bytes, ...logged };
  }

  /** POST /v1/orders/{id}/redeem: who may redeem, the order's state, its time conditions, then the plugin. */
  async redeem(id: string, bytes: Uint8Array): Promise<CommittedStep> {
    const first = await this.#d.orders.get(id);
    if (!first) throw new ApiError('not_found', 'no such order');
    const env = await this.#d.auth.verifyRequest(bytes);
    const { header } = env.value;
    if (header.order !== id) throw new ApiError('bad_request', 'the envelope names another order');
    const { plugin, ctx } = this.#pluginFor(header.type, 'redeem');
    if (plugin.name !== first.record.plugin)
      throw new ApiError('bad_request', `this order belongs to plugin "${first.record.plugin}"`);
    const request = env.cid.toString();
    return this.#d.orders.withOrder(id, async () => {
      const stored = (await this.#d.orders.get(id))!;
      assertNotCommitted(stored, request);
      const redeemer = await this.#redeemer(stored.record, env);
      this.#d.auth.assertCurrentVersion(header);
      await this.#assertFresh(header, request);
      this.#assertFollowsHead(stored, header);
      assertReleasable(stored, this.#now());
      const admitted = await this.#d.admission?.admit('redeem', env, id, undefined); // not counted: order-admission.ts
      return reported(admitted, () => this.#redeemStep(env, { plugin, ctx }, stored, redeemer));
    });
  }

  /**
   * Who redeems: the record's beneficiary (else 403 not_beneficiary); for an order released to an OpenID Connect
   * identity, whoever proves it (oidc/), whose fresh identity the plugin then sees as the beneficiary. The request
   * opened, without the host-level proof.
   */
  async #redeemer(
    record: OrderRecord,
    env: VerifiedEnvelope,
  ): Promise<{ record: OrderRecord; request: OpenedRequest }> {
    const { sender } = env.value.header;
    const oidc = record.conditions?.oidc;
    if (!oidc && sender.toString() !== record.beneficiary)
      throw new ApiError('not_beneficiary', 'only the beneficiary of this order may redeem it');
    const opened = this.#d.auth.open(env);
    if (!oidc) return { record, request: opened };
    const { content, field: proof } = withoutField(opened.content, 'oidc');
    if (proof === undefined) {
      throw new ApiError('oidc_required', `this order is released to whoever signs in at ${oidc.issuer} as named`);
    }
    if (!this.#d.oidc) throw new ApiError('untrusted_issuer', `this node no longer trusts ${oidc.issuer}`);
    await this.#d.oidc.verify(oidc, proof, sender, record.id, this.#now());
    return { record: { ...record, beneficiary: sender.toString() }, request: { ...opened, content } };
  }

  /**
   * A step after the order's head links a step of the order (400), the head itself (409 conflict), on an open order
   * (409 cancelled or conflict), and is stamped no earlier than the head.
   */
  #assertFollowsHead(stored: StoredOrder, header: VerifiedEnvelope['value']['header']): void {
    const { record } = stored;
    if (!header.previous || !record.history.includes(header.previous.toString()))
      throw new ApiError('bad_request', 'the envelope does not link a step of this order');
    assertOpen(record);
    if (header.previous.toString() !== record.head)
      throw new ApiError('conflict', 'the order has a newer step than the one this request links');
    assertNotBefore(header.created, stored.envelopes[record.head]);
  }

  /** An admitted redeem step: its plugin, then the reply, signed and committed. */
  async #redeemStep(
    env: VerifiedEnvelope,
    { plugin, ctx }: LoadedPlugin,
    stored: StoredOrder,
    redeemer: { record: OrderRecord; request: OpenedRequest },
  ): Promise<CommittedStep> {
    const { record } = stored;
    const id = record.id;
    const request = env.cid.toString();
    const reply = await plugin.redeem!(ctx, redeemer.record, redeemer.request);
    failpoint('redeem:after-plugin');
    await this.#d.auth.claim(env, `order:${id}`);
    const out = await this.#replyEnvelope(plugin.name, 'redeem', env, id, reply);
    const head = out.cid.toString();
    const next: StoredOrder = {
      record: { ...record, head, history: [...record.history, request, head], status: 'redeemed' },
      envelopes: { ...stored.envelopes, [request]: env.bytes, [head]: out.bytes },
      replies: { ...stored.replies, [request]: head },
    };
    const logged = await this.#commit('redeem', next, [env, out]);
    return { order: id, status: 'redeemed', cid: head, envelope: out.bytes, ...logged };
  }

  /**
   * POST /v1/orders/{id}/check-in and /cancel: a step of the principal's on an open order with conditions
   * (docs/protocol.md#check-in-and-cancel), checked as a redeem is.
   */
  async principalStep(step: PrincipalStep, id: string, bytes: Uint8Array): Promise<CommittedStep> {
    const first = await this.#d.orders.get(id);
    if (!first) throw new ApiError('not_found', 'no such order');
    const env = await this.#d.auth.verifyRequest(bytes);
    const { header } = env.value;
    if (header.order !== id) throw new ApiError('bad_request', 'the envelope names another order');
    const type = `${first.record.plugin}/${step}`;
    if (header.type !== type) throw new ApiError('bad_request', `expected an envelope of type "${type}"`);
    const loaded = this.#d.plugins.get(first.record.plugin);
    if (!loaded) throw new ApiError('unknown_plugin', `no plugin "${first.record.plugin}" runs on this node`);
    const request = env.cid.toString();
    return this.#d.orders.withOrder(id, async () => {
      const stored = (await this.#d.orders.get(id))!;
      assertNotCommitted(stored, request);
      if (header.sender.toString() !== stored.record.principal)
        throw new ApiError('not_principal', `only the principal of this order may ${step} it`);
      this.#d.auth.assertCurrentVersion(header);
      await this.#assertFresh(header, request);
      assertTakesStep(step, stored.record);
      this.#assertFollowsHead(stored, header);
      assertEmptyContent(this.#d.auth.open(env).content, type);
      const admitted = await this.#d.admission?.admit(step, env, id, undefined); // not counted, as a redeem
      return reported(admitted, () => this.#principalStepRun(step, env, loaded, stored));
    });
  }

  /** An admitted check-in or cancel: the plugin forgets a cancelled order's secret, then the plain reply. */
  async #principalStepRun(
    step: PrincipalStep,
    env: VerifiedEnvelope,
    { plugin, ctx }: LoadedPlugin,
    stored: StoredOrder,
  ): Promise<CommittedStep> {
    const { record } = stored;
    const id = record.id;
    const request = env.cid.toString();
    // Before the commit: a crash in between leaves the recorded cancel, finished at start (orders-recovery.ts).
    if (step === 'cancel') await plugin.forget?.(ctx, record);
    await this.#d.auth.claim(env, `order:${id}`);
    const out = await this.#replyEnvelope(plugin.name, step, env, id, { content: { order: id }, recipients: [] });
    const head = out.cid.toString();
    const changed =
      step === 'cancel'
        ? { status: 'cancelled' as const }
        : { checkedIn: decodeEnvelope(out.bytes).value.header.created };
    const next: StoredOrder = {
      record: { ...record, head, history: [...record.history, request, head], ...changed },
      envelopes: { ...stored.envelopes, [request]: env.bytes, [head]: out.bytes },
      replies: { ...stored.replies, [request]: head },
    };
    const logged = await this.#commit(step, next, [env, out]);
    if (step === 'check-in') ctx.log.info('principal checked in', { order: id, releasesFrom: lastCheckIn(next) });
    return { order: id, status: next.record.status, cid: head, envelope: out.bytes, ...logged };
  }

  /** Freshness (RequestAuth step 6), waived by the admission for a request it recorded before (order-admission.ts). */
  #assertFresh(header: VerifiedEnvelope['value']['header'], request: string): Promise<void> | void {
    if (this.#d.admission) return this.#d.admission.assertFresh(header, request);
    this.#d.auth.assertFresh(header);
  }

  /** GET /v1/orders/{id}: the record and its chain, oldest first. */
  async get(id: string): Promise<StoredOrder | undefined> {
    return this.#d.orders.get(id);
  }

  /** Puts every stored envelope back into Helia if the blockstore lost it (called at start). */
  async reconcile(): Promise<number> {
    let restored = 0;
    for await (const { cid, bytes } of this.#d.orders.eachEnvelope()) {
      const c = CID.parse(cid);
      if (!(await this.#d.blocks.has(c))) {
        await this.#d.blocks.put(c, bytes);
        restored++;
      }
    }
    return restored;
  }
}
