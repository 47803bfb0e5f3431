/**
 * The principal's steps on a conditional release: check in (every node holding the order or a share of it starts
 * its dead man's switch anew from its own time) and cancel (every node deletes what it keeps; nothing is released
 * after). Each node is asked in parallel; each one's answer is reported as it comes and stored on the order, so a
 * node that was down is asked again by the next run (one that already cancelled answers `cancelled`, which counts).
 * @module
 */
import { NodeApiError } from '../../../core/api/errors.ts';
import type { StepResult } from '../../../core/api/session.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../../api/deps.ts';
import { InputError } from '../../api/errors.ts';
import { sessionFor } from '../../nodes/registry.ts';
import { describeError } from '../../ui/errors.ts';
import { stepEnvelopes } from '../flow.ts';
import { mergeEnvelopes, type OrderRecord } from '../model.ts';
import { getOrder, updateOrder } from '../repo.ts';
import { holdersOf, type ReleaseHolder } from './record.ts';

export type ReleaseStep = 'check-in' | 'cancel';

/** One node's progress: asked, done (with the node's time), or refused (with the reason). */
export type HolderProgress =
  | { readonly node: string; readonly state: 'sent' }
  | { readonly node: string; readonly state: 'done'; readonly at: number }
  | { readonly node: string; readonly state: 'refused'; readonly reason: string };

export interface ReleaseStepOutcome {
  readonly order: OrderRecord;
  readonly done: number;
  readonly refused: readonly { readonly node: string; readonly reason: string }[];
}

async function askOne(deps: FlowsDeps, plugin: string, step: ReleaseStep, h: ReleaseHolder): Promise<StepResult> {
  const session = await sessionFor(deps, h.url);
  return step === 'check-in' ? session.checkIn(plugin, h.order) : session.cancel(plugin, h.order);
}

/** A node that cancelled before (an earlier run, or another device) is done with a cancel. */
const alreadyDone = (step: ReleaseStep, e: unknown) =>
  step === 'cancel' && e instanceof NodeApiError && e.code === 'cancelled';

/** The record after the answers: each node's new time; the steps of the record's own node on its chain. */
function afterStep(o: OrderRecord, step: ReleaseStep, results: ReadonlyMap<string, StepResult>, all: boolean) {
  const since = { ...(o.release?.since ?? {}) };
  for (const [node, r] of results) since[node] = r.envelope.value.header.created;
  const own = results.get(o.nodeIdentity);
  const { error: _, ...rest } = o;
  return {
    ...rest,
    ...(o.release ? { release: { ...o.release, since } } : {}),
    ...(own ? { envelopes: mergeEnvelopes(o.envelopes, stepEnvelopes(own)), head: own.reply.cid } : {}),
    ...(step === 'cancel' && all ? { state: 'cancelled' as const } : {}),
  };
}

/** Runs `step` at every node holding the order `id` of the unlocked identity (its principal). */
export async function releaseStep(
  deps: FlowsDeps,
  id: string,
  step: ReleaseStep,
  onProgress?: (p: HolderProgress) => void,
): Promise<ReleaseStepOutcome> {
  const me = await requireSigner(deps);
  const owner = me.identity.cid.toString();
  const o = await getOrder(deps, owner, id);
  if (o.principal !== owner) throw new InputError('order', 'only the principal of this order can do this');
  const results = new Map<string, StepResult>();
  const refused: { node: string; reason: string }[] = [];
  let done = 0;
  await Promise.all(
    holdersOf(o).map(async (h) => {
      onProgress?.({ node: h.identity, state: 'sent' });
      try {
        const r = await askOne(deps, o.plugin, step, h);
        results.set(h.identity, r);
        done++;
        onProgress?.({ node: h.identity, state: 'done', at: r.envelope.value.header.created });
      } catch (e) {
        if (alreadyDone(step, e)) {
          done++;
          onProgress?.({ node: h.identity, state: 'done', at: nowOf(deps) });
          return;
        }
        const reason = describeError(e).message;
        refused.push({ node: h.name ?? h.url, reason });
        onProgress?.({ node: h.identity, state: 'refused', reason });
      }
    }),
  );
  const all = refused.length === 0;
  const order = await updateOrder(deps, owner, id, (cur) => {
    const next = afterStep(cur, step, results, all);
    if (all) return { ...next, updated: nowOf(deps) };
    const error = `${done} of ${done + refused.length} nodes answered the ${step}; not yet ${refused
      .map((r) => `${r.node} (${r.reason})`)
      .join('; ')}`;
    return { ...next, error, updated: nowOf(deps) };
  });
  return { order, done, refused };
}
