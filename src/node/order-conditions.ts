/**
 * Release conditions at the node (issue 15, docs/protocol.md#release-conditions), kept out of orders.ts so that
 * the order path only calls them:
 *
 *  - at order time, the content's top-level `conditions` is read, checked and removed before the plugin sees the
 *    content (plugins keep their strict schemas); only plugins that declare `conditions` take them;
 *  - at redeem time, the time conditions are checked against the node's clock, and a refusal says which are not
 *    met and until when, nothing else (who may redeem is checked before, so a stranger learns no condition);
 *  - a redeem for an OpenID Connect condition carries its proof in a host-level `oidc` field, removed likewise.
 * @module
 */
import { CID } from 'multiformats/cid';
import { type Conditions, parseConditions, unmetConditions } from '../core/protocol/conditions.ts';
import { decodeEnvelope } from '../core/protocol/index.ts';
import { SchemaPathError, struct } from '../core/schema.ts';
import { ApiError } from './http/errors.ts';
import type { DtaPlugin, OrderRecord } from './plugins/types.ts';
import type { StoredOrder } from './storage/orders.ts';

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !CID.asCID(v);
}

/** `content` without its host-level field `key`, and that field's value (undefined when absent). */
export function withoutField(content: unknown, key: string): { content: unknown; field: unknown } {
  if (!isMap(content) || !Object.hasOwn(content, key)) return { content, field: undefined };
  const { [key]: field, ...rest } = content;
  return { content: rest, field };
}

/**
 * An order's content split into what its plugin sees and its checked conditions: 400 malformed for a bad shape,
 * 400 bad_request for a plugin that takes no conditions.
 */
export function orderConditions(
  plugin: DtaPlugin,
  content: unknown,
): { content: unknown; conditions: Conditions | undefined } {
  const split = withoutField(content, 'conditions');
  if (split.field === undefined) return { content, conditions: undefined };
  if (!plugin.conditions) throw new ApiError('bad_request', `plugin ${plugin.name} takes no release conditions`);
  try {
    return { content: split.content, conditions: parseConditions(split.field) };
  } catch (e) {
    if (e instanceof SchemaPathError) throw new ApiError('malformed', `release conditions: ${e.message}`);
    throw e;
  }
}

/**
 * An order released to an OpenID Connect identity names its principal as the plugin's beneficiary (the person
 * entitled proves who they are at redeem time): else 400 bad_request.
 */
export function assertOidcBeneficiary(content: unknown, principal: CID): void {
  const named = isMap(content) ? CID.asCID(content.beneficiary) : null;
  if (named && !named.equals(principal)) {
    throw new ApiError(
      'bad_request',
      'an order released to an OpenID Connect identity names its principal as beneficiary',
    );
  }
}

/** The node's time of the latest check-in: the record's, else that of the node's reply to the order. */
export function lastCheckIn(stored: StoredOrder): number {
  const { record } = stored;
  if (record.checkedIn !== undefined) return record.checkedIn;
  const reply = stored.envelopes[record.history[1]!];
  if (!reply) throw new Error('orders: the reply to an order is not stored');
  return decodeEnvelope(reply).value.header.created;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** 403 condition_not_met naming each time condition not met at `now` and until when; nothing when all are. */
export function assertReleasable(stored: StoredOrder, now: number): void {
  const conditions = stored.record.conditions;
  if (!conditions) return;
  const unmet = unmetConditions(conditions, lastCheckIn(stored), now);
  if (unmet.length === 0) return;
  const words = unmet.map((u) =>
    u.condition === 'notBefore'
      ? `not before ${iso(u.until)}`
      : `the principal checked in; releases at ${iso(u.until)} unless they check in again`,
  );
  const details = { unmet: unmet.map((u) => ({ condition: u.condition, until: u.until })) };
  throw new ApiError('condition_not_met', `the order cannot be released yet: ${words.join('; ')}`, details);
}

const emptyMap = struct({});

/** The content of a check-in or cancel: an empty map (400 malformed otherwise). */
export function assertEmptyContent(content: unknown, type: string): void {
  try {
    emptyMap(content, type);
  } catch (e) {
    if (e instanceof SchemaPathError) throw new ApiError('malformed', `a "${type}" envelope's content is an empty map`);
    throw e;
  }
}

/** The record as a step of the principal's may find it: 409 cancelled, 409 conflict once redeemed. */
export function assertOpen(record: OrderRecord): void {
  if (record.status === 'cancelled') throw new ApiError('cancelled', 'the principal cancelled this order');
  if (record.status === 'redeemed') throw new ApiError('conflict', 'the order was already redeemed');
}
