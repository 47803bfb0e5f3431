/**
 * Resharing a custody group from its order page (the principal's): the group moves to a new committee, t'-of-n'
 * (nodes added, removed or replaced, or the same ones for a periodic refresh), without the secret ever being
 * put together: the old holders that answer deal their shares to the new nodes through the worker
 * (src/plugins/custody/reshare-run.ts), the new nodes check and keep theirs, the old ones delete theirs. The
 * order record then describes the new group; the groups it came from are listed on it.
 * @module
 */

import { cidOf } from '../../core/protocol/cbor.ts';
import type { ReshareProgress } from '../../plugins/custody/reshare-run.ts';
import type { CustodyReshared } from '../../worker/api/custody.ts';
import { type FlowsDeps, nowOf } from '../api/deps.ts';
import { InputError } from '../api/errors.ts';
import type { OrderRecord } from '../orders/model.ts';
import { updateOrder } from '../orders/repo.ts';
import { custodyNode, groupOf } from './flow.ts';
import { type CustodyMember, custodySummaryOf } from './summary.ts';

export interface ReshareInput {
  /** The new committee's URLs, in share order. */
  readonly nodes: readonly string[];
  readonly t: number;
}

function checkInput(input: ReshareInput): void {
  const n = input.nodes.length;
  if (n < 1) throw new InputError('nodes', 'choose at least one node');
  if (new Set(input.nodes).size !== n) throw new InputError('nodes', 'a node is chosen twice');
  if (!Number.isInteger(input.t) || input.t < 1 || input.t > n) {
    throw new InputError('threshold', `the new threshold is a whole number from 1 to ${n} (the nodes chosen)`);
  }
}

/** Reshares the group of order `id`; resolves with the record describing the new group. */
export async function reshareCustody(
  deps: FlowsDeps,
  id: string,
  input: ReshareInput,
  onProgress?: (p: ReshareProgress) => void,
): Promise<{ order: OrderRecord; result: CustodyReshared }> {
  checkInput(input);
  const { order, summary } = await groupOf(deps, id);
  const document = summary.document ?? summary.deal?.group;
  if (order.principal !== order.owner || !document) {
    throw new InputError('order', "only the group's principal, on the device that dealt it, can reshare it");
  }
  const holders = summary.members.filter((m) => m.state === 'holds');
  const [old, nodes] = await Promise.all([
    Promise.all(holders.map((m) => custodyNode(deps, m.url))),
    Promise.all(input.nodes.map((url) => custodyNode(deps, url))),
  ]);
  const strip = ({ url, identity, document }: (typeof nodes)[number]) => ({ url, identity, document });
  const result = await (await deps.crypto()).custody.reshare(
    { group: document, old: old.map(strip), nodes: nodes.map(strip), t: input.t },
    onProgress,
  );
  const members: CustodyMember[] = nodes.map((n, i) => ({
    index: i + 1,
    url: n.url,
    identity: n.identity,
    name: n.name,
    order: result.orders[i]!,
    state: 'holds',
  }));
  const now = nowOf(deps);
  const updated = await updateOrder(deps, order.owner, id, (o) => {
    const s = custodySummaryOf(o)!;
    const { deal: _, retrievedAt: __, ...kept } = s;
    const { error: ___, ...rest } = o;
    return {
      ...rest,
      state: 'open',
      updated: now,
      summary: {
        ...kept,
        group: cidOf(result.group).toString(),
        t: input.t,
        n: nodes.length,
        members,
        document: result.group,
        reshared: [...(s.reshared ?? []), { from: s.group, at: now }],
      },
    };
  });
  return { order: updated, result };
}
