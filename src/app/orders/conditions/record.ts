/**
 * What an order record keeps of its release conditions, and the release's state read from a record: the principal
 * stores the conditions it signed, the nodes that hold the order (one, or each node of a custody group) and each
 * node's latest time on the chain; a beneficiary reads the conditions from the principal's intent (the order's
 * first step, sealed to it) and the times from the chain's envelopes.
 * @module
 */
import { decodeStrict } from '../../../core/protocol/cbor.ts';
import { type Conditions, parseConditions } from '../../../core/protocol/conditions.ts';
import type { OrderRecord, StoredEnvelope } from '../model.ts';
import type { ReleaseInput } from './release.ts';

/** A node holding the order (or a share of it) and the order id there. */
export interface ReleaseHolder {
  readonly url: string;
  readonly identity: string;
  readonly order: string;
  readonly name?: string;
}

export interface ReleaseRecord {
  readonly conditions: Conditions;
  readonly holders: readonly ReleaseHolder[];
  /** Nodes that must release for the secret to come back (custody's t). */
  readonly threshold?: number;
  /** By node identity: the node's time of its reply to the order, or of the latest check-in it answered. */
  readonly since: Readonly<Record<string, number>>;
}

/** The `conditions` of an order step's content (a DAG-CBOR map), if it carries valid ones. */
export function conditionsIn(content: unknown): Conditions | undefined {
  if (typeof content !== 'object' || content === null || !('conditions' in content)) return undefined;
  try {
    return parseConditions((content as { conditions: unknown }).conditions);
  } catch {
    return undefined; // a node refuses such an order; nothing to show
  }
}

/** An order step's content without its host-level `conditions`: the plugin's own fields, for its strict reader. */
export function pluginContent(content: unknown): unknown {
  if (typeof content !== 'object' || content === null || !('conditions' in content)) return content;
  const { conditions: _, ...own } = content as Record<string, unknown>;
  return own;
}

/** The conditions of a record: the principal's own, or those of the intent the beneficiary read. */
function conditionsOf(o: Pick<OrderRecord, 'release' | 'intent'>): Conditions | undefined {
  if (o.release) return o.release.conditions;
  const content = o.intent?.content;
  if (!content) return undefined;
  try {
    return conditionsIn(decodeStrict(content));
  } catch {
    return undefined;
  }
}

const resets = (plugin: string) => new Set([`${plugin}/order-reply`, `${plugin}/check-in-reply`]);

/** The node's latest time that starts its switch anew, among the envelopes it signed on the order's chain. */
function sinceOnChain(envelopes: readonly StoredEnvelope[], plugin: string, node: string): number | undefined {
  const types = resets(plugin);
  let latest: number | undefined;
  for (const e of envelopes) {
    if (e.sender === node && types.has(e.type) && (latest === undefined || e.created > latest)) latest = e.created;
  }
  return latest;
}

/** The node's time of the release (its redemption reply), if the chain has one. */
function releasedOnChain(o: Pick<OrderRecord, 'envelopes' | 'plugin'>): number | undefined {
  return o.envelopes.findLast((e) => e.type === `${o.plugin}/redeem-reply`)?.created;
}

/** The nodes holding a record's order: those it stored (a custody group's), else its one node. */
export function holdersOf(o: Pick<OrderRecord, 'release' | 'node' | 'nodeIdentity' | 'id'>): readonly ReleaseHolder[] {
  const stored = o.release?.holders ?? [];
  return stored.length > 0 ? stored : [{ url: o.node, identity: o.nodeIdentity, order: o.id }];
}

/** What the principal's record keeps of the conditions it orders with (no holders: the record's own node). */
export function releaseRecordFor(
  conditions: Conditions,
  holders: readonly ReleaseHolder[] = [],
  threshold?: number,
): ReleaseRecord {
  return { conditions, holders, since: {}, ...(threshold !== undefined ? { threshold } : {}) };
}

/** What releaseOf needs, from a record; undefined for an order without conditions. */
export function releaseInputOf(o: OrderRecord): ReleaseInput | undefined {
  const conditions = conditionsOf(o);
  if (!conditions) return undefined;
  const since = holdersOf(o).flatMap((h) => {
    const times = [o.release?.since[h.identity], sinceOnChain(o.envelopes, o.plugin, h.identity)];
    const known = times.filter((t): t is number => t !== undefined);
    return known.length > 0 ? [Math.max(...known)] : [];
  });
  const status = o.state === 'cancelled' ? 'cancelled' : o.state === 'redeemed' ? 'redeemed' : 'open';
  const releasedAt = releasedOnChain(o);
  return {
    conditions,
    // Before any node's time is known (a group still being placed): the device's time of the order.
    since: since.length > 0 ? since : [o.created],
    ...(o.release?.threshold !== undefined ? { threshold: o.release.threshold } : {}),
    status,
    ...(releasedAt !== undefined ? { releasedAt } : {}),
  };
}
