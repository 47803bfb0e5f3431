/**
 * safeguard: a principal deposits a secret for a named beneficiary, or asks
 * the node to generate one; only that beneficiary, proving its identity
 * with a signed redeem envelope, gets it back, sealed to it.
 *
 * Order ("safeguard/order", sealed to the node), content:
 *   { beneficiary: CID, secret: bytes(1..16384) [, label: text] }   deposit
 *   { beneficiary: CID, generate: 16..64 [, label: text] }           the node draws `generate` random bytes
 * Reply (sealed to the principal and the beneficiary):
 *   { order, beneficiary, size, generated, commitment [, label] }
 * where commitment = SHA-256("dta/safeguard/v1 commitment\0" || order || secret),
 * so the beneficiary can later check it received what was committed to.
 * Redeem ("safeguard/redeem", from the beneficiary, sealed to the node), content {}.
 * Reply (sealed to the beneficiary): { order, secret, commitment }.
 *
 * The secret is written to the keystore under the order id (the order's
 * request CID) before the reply leaves; a retried order finds it there and
 * never draws a second one.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { CID } from 'multiformats/cid';
import { PluginError } from '../errors.ts';
import type { DtaPlugin, OpenedRequest, OrderRecord, PluginContext, PluginReply } from '../types.ts';
import { openapi } from './openapi.ts';

export const MAX_SECRET_BYTES = 16 * 1024;
export const MIN_GENERATE = 16;
export const MAX_GENERATE = 64;
const COMMIT_PREFIX = new TextEncoder().encode('dta/safeguard/v1 commitment\0');

interface OrderContent {
  beneficiary: CID;
  secret?: Uint8Array;
  generate?: number;
  label?: string;
}

const malformed = (message: string): PluginError => new PluginError('malformed', `safeguard: ${message}`);

function asMap(value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || CID.asCID(value)) {
    throw malformed('the content must be a map');
  }
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw malformed(`unknown field "${key}"`);
  return value as Record<string, unknown>;
}

/** Checks the order content field by field. */
export function parseOrder(value: unknown): OrderContent {
  const m = asMap(value, ['beneficiary', 'secret', 'generate', 'label']);
  const beneficiary = CID.asCID(m.beneficiary);
  if (!beneficiary) throw malformed('"beneficiary" must be an identity CID');
  if ((m.secret === undefined) === (m.generate === undefined)) throw malformed('give exactly one of "secret" and "generate"');
  if (m.secret !== undefined && (!(m.secret instanceof Uint8Array) || m.secret.length < 1 || m.secret.length > MAX_SECRET_BYTES)) {
    throw malformed(`"secret" must be 1..${MAX_SECRET_BYTES} bytes`);
  }
  if (m.generate !== undefined && (!Number.isInteger(m.generate) || (m.generate as number) < MIN_GENERATE || (m.generate as number) > MAX_GENERATE)) {
    throw malformed(`"generate" must be an integer in ${MIN_GENERATE}..${MAX_GENERATE}`);
  }
  if (m.label !== undefined && (typeof m.label !== 'string' || m.label.length > 128)) throw malformed('"label" must be text of at most 128 characters');
  return m as unknown as OrderContent;
}

function commitment(ctx: PluginContext, order: string, secret: Uint8Array): Uint8Array {
  const id = new TextEncoder().encode(order);
  const msg = new Uint8Array(COMMIT_PREFIX.length + id.length + secret.length);
  msg.set(COMMIT_PREFIX, 0);
  msg.set(id, COMMIT_PREFIX.length);
  msg.set(secret, COMMIT_PREFIX.length + id.length);
  const digest = ctx.core.hash.sha256(msg);
  msg.fill(0);
  return digest;
}

/** The committed secret of `order`, drawing or storing it the first time (idempotent per order id). */
async function commit(ctx: PluginContext, order: string, content: OrderContent): Promise<{ secret: Uint8Array; generated: boolean }> {
  const existing = await ctx.keystore.get(order);
  if (existing) return { secret: existing, generated: content.generate !== undefined };
  const secret = content.secret ?? new Uint8Array(randomBytes(content.generate!));
  await ctx.keystore.put(order, secret);
  return { secret, generated: content.generate !== undefined };
}

async function order(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseOrder(request.content);
  if (request.sealed === false) throw new PluginError('bad_request', 'safeguard: an order must be sealed to the node');
  try {
    await ctx.identities.resolve(content.beneficiary);
  } catch {
    throw new PluginError('bad_request', `safeguard: the beneficiary ${content.beneficiary.toString()} is not known to this node`);
  }
  const id = request.cid.toString();
  const { secret, generated } = await commit(ctx, id, content);
  const reply = {
    order: id,
    beneficiary: content.beneficiary,
    size: secret.length,
    generated,
    commitment: commitment(ctx, id, secret),
    ...(content.label !== undefined ? { label: content.label } : {}),
  };
  secret.fill(0);
  ctx.log.info('secret committed', { order: id, generated });
  const principal = request.sender.cid;
  const recipients = principal.equals(content.beneficiary) ? [principal] : [principal, content.beneficiary];
  return { content: reply, recipients, beneficiary: content.beneficiary };
}

async function redeem(ctx: PluginContext, record: OrderRecord, request: OpenedRequest): Promise<PluginReply> {
  asMap(request.content, []);
  if (request.sender.cid.toString() !== record.beneficiary) throw new PluginError('not_beneficiary', 'safeguard: only the beneficiary may redeem', 403);
  const secret = await ctx.keystore.get(record.id);
  if (!secret) throw new PluginError('not_found', 'safeguard: no secret is committed for this order', 404);
  const reply = { order: record.id, secret: new Uint8Array(secret), commitment: commitment(ctx, record.id, secret) };
  secret.fill(0);
  ctx.log.info('secret released', { order: record.id });
  return { content: reply, recipients: [request.sender.cid] };
}

export const plugin: DtaPlugin = { name: 'safeguard', version: '1.0.0', order, redeem, openapi };
export default plugin;
