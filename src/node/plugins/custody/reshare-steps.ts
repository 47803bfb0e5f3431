/**
 * Where the custody plugin's order step hands a resharing (docs/protocol.md#resharing-a-custody-group): the
 * content's distinguishing field says which of the three steps it is; any other content is a wave-one order.
 * @module
 */
import { reshareStep } from '../../../plugins/custody/reshare-schema.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import type { OpenedRequest, PluginContext, PluginReply } from '../types.ts';
import { reshareAcceptStep } from './reshare-accept.ts';
import { reshareConfirmStep } from './reshare-confirm.ts';
import { movedError, reshareDealStep } from './reshare-deal.ts';
import { movedOf } from './reshare-store.ts';

type Step = (ctx: PluginContext, request: OpenedRequest) => Promise<PluginReply>;

const STEPS: Readonly<Record<'deal' | 'accept' | 'confirm', Step>> = {
  deal: reshareDealStep,
  accept: reshareAcceptStep,
  confirm: reshareConfirmStep,
};

/** The resharing step an order's content asks for, or undefined when it is no resharing. */
export function resharingStepOf(content: unknown): Step | undefined {
  const step = reshareStep(content);
  return step && STEPS[step];
}

/** Throws share_moved (410) when resharing moved the share of `order` to another group. */
export async function assertNotMoved(keystore: ScopedKeystore, order: string): Promise<void> {
  const moved = await movedOf(keystore, order);
  if (moved) throw movedError(moved.to);
}
