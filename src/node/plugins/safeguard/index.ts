/**
 * safeguard's server half: what the node does with an order (commit the
 * secret to the keystore, or draw it first) and a redemption (release it to
 * the beneficiary). The envelopes' contents, their limits and the commitment
 * are the shared half's (src/plugins/safeguard/), which the app checks
 * replies with.
 *
 * The secret is written to the keystore under the order id (the order's
 * request CID) before the reply leaves; a retried order finds it there and
 * never draws a second one.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { commitmentOf } from '../../../plugins/safeguard/commitment.ts';
import { DEPOSIT_TYPE, matchesDeposit } from '../../../plugins/safeguard/deposit.ts';
import {
  type OrderRequest,
  parseDeposit,
  parseOrderRequest,
  parseRedeemRequest,
} from '../../../plugins/safeguard/schema.ts';
import { PluginError } from '../errors.ts';
import type { DtaPlugin, OpenedRequest, OrderRecord, PluginContext, PluginReply } from '../types.ts';
import { openapi } from './openapi.ts';

/**
 * The secret of a deposit part (an order with its intent): a "safeguard/deposit" envelope by the principal, sealed
 * to this node, whose secret matches the salted commitment the beneficiary will check.
 */
async function depositedSecret(request: OpenedRequest, content: OrderRequest): Promise<Uint8Array> {
  if (!request.openPart) throw new PluginError('bad_request', 'safeguard: this node cannot open a deposit part');
  const part = await request.openPart(content.deposit!);
  if (part.header.type !== DEPOSIT_TYPE || part.sealed !== true) {
    throw new PluginError('bad_request', `safeguard: a deposit is a sealed "${DEPOSIT_TYPE}" envelope`);
  }
  const secret = parseDeposit(part.content);
  if (!matchesDeposit(content.depositCommitment!, content.depositSalt!, secret)) {
    secret.fill(0);
    throw new PluginError('bad_request', 'safeguard: the deposit does not match its commitment (depositCommitment)');
  }
  return secret;
}

/** The committed secret of `order`, drawing or storing it the first time (idempotent per order id). */
async function commit(
  ctx: PluginContext,
  order: string,
  content: OrderRequest,
  request: OpenedRequest,
): Promise<{ secret: Uint8Array; generated: boolean }> {
  const generated = content.generate !== undefined;
  const existing = await ctx.keystore.get(order);
  if (existing) return { secret: existing, generated };
  const deposited = content.deposit !== undefined ? await depositedSecret(request, content) : undefined;
  const secret = deposited ?? content.secret ?? new Uint8Array(randomBytes(content.generate!));
  await ctx.keystore.put(order, secret);
  return { secret, generated };
}

/**
 * An order sealed to more than this node is written with its intent (docs/protocol.md#the-principals-intent): its
 * beneficiary must be among the recipients, so that it reads what the principal asked for; a deposit, which only
 * intents carry, must come that way too (the plain secret is for orders sealed to this node alone).
 */
function assertIntentAddressed(request: OpenedRequest, content: OrderRequest): void {
  const recipients = request.header.recipients;
  const withIntent = recipients.length > 1 || content.deposit !== undefined;
  if (withIntent && !recipients.some((r) => r.equals(content.beneficiary))) {
    throw new PluginError('bad_request', 'safeguard: an order with its intent is sealed to its beneficiary too');
  }
  if (withIntent && content.secret !== undefined) {
    throw new PluginError(
      'bad_request',
      'safeguard: an order sealed to its beneficiary carries the secret in a deposit',
    );
  }
}

async function order(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseOrderRequest(request.content);
  if (request.sealed === false) throw new PluginError('bad_request', 'safeguard: an order must be sealed to the node');
  try {
    await ctx.identities.resolve(content.beneficiary);
  } catch {
    const unknown = content.beneficiary.toString();
    throw new PluginError('bad_request', `safeguard: the beneficiary ${unknown} is not known to this node`);
  }
  const id = request.cid.toString();
  assertIntentAddressed(request, content);
  const { secret, generated } = await commit(ctx, id, content, request);
  const reply = {
    order: id,
    beneficiary: content.beneficiary,
    size: secret.length,
    generated,
    commitment: commitmentOf(id, secret),
    ...(content.label !== undefined ? { label: content.label } : {}),
  };
  secret.fill(0);
  ctx.log.info('secret committed', { order: id, generated });
  const principal = request.sender.cid;
  const recipients = principal.equals(content.beneficiary) ? [principal] : [principal, content.beneficiary];
  return { content: reply, recipients, beneficiary: content.beneficiary };
}

async function redeem(ctx: PluginContext, record: OrderRecord, request: OpenedRequest): Promise<PluginReply> {
  parseRedeemRequest(request.content);
  if (request.sender.cid.toString() !== record.beneficiary) {
    throw new PluginError('not_beneficiary', 'safeguard: only the beneficiary may redeem', 403);
  }
  const secret = await ctx.keystore.get(record.id);
  if (!secret) throw new PluginError('not_found', 'safeguard: no secret is committed for this order', 404);
  const reply = { order: record.id, secret: new Uint8Array(secret), commitment: commitmentOf(record.id, secret) };
  secret.fill(0);
  ctx.log.info('secret released', { order: record.id });
  return { content: reply, recipients: [request.sender.cid] };
}

/** The principal cancelled `record` (docs/protocol.md#check-in-and-cancel): its secret is deleted for good. */
async function forget(ctx: PluginContext, record: OrderRecord): Promise<void> {
  if (!ctx.keystore.delete) throw new Error('safeguard: this keystore cannot delete a secret');
  await ctx.keystore.delete(record.id);
  ctx.log.info('secret deleted: the order is cancelled', { order: record.id });
}

export const plugin: DtaPlugin = {
  name: 'safeguard',
  version: '1.0.0',
  order,
  redeem,
  conditions: true,
  forget,
  openapi,
};
export default plugin;
