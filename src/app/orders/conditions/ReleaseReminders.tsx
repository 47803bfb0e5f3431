/**
 * Home's reminder of dead man's switches about to run out: each open order of the unlocked identity whose
 * deadline is within 7 days (or a tenth of its period, when longer), or already passed with nothing released,
 * with a link to its page and its Check in button. Nothing shows when no switch is near; read from this device.
 * @module
 */
import { type Component, createEffect, For, Show } from 'solid-js';
import { useFlows } from '../../api/use.ts';
import { useApp } from '../../shell/context.tsx';
import { href } from '../../shell/router.ts';
import { Card } from '../../ui/index.ts';
import type { OrderRecord } from '../model.ts';
import { createOrdersStore } from '../store.ts';
import { orderTitle } from '../titles.ts';
import { releaseInputOf } from './record.ts';
import { checkInDue, releaseOf } from './release.ts';
import './release.css';
import { releaseWords } from './words.ts';

/** The principal's open orders whose switch wants a check-in now, with what to say of each. */
function dueOrders(orders: readonly OrderRecord[], me: string, now: number) {
  return orders.flatMap((o) => {
    if (o.principal !== me || o.state !== 'open') return [];
    const input = releaseInputOf(o);
    if (!input) return [];
    const release = releaseOf(input, now);
    return checkInDue(input.conditions, release, now)
      ? [{ order: o, words: releaseWords(release, { principal: true }) }]
      : [];
  });
}

export const ReleaseReminders: Component = () => {
  const deps = useFlows();
  const { vault } = useApp();
  const orders = createOrdersStore(deps);
  createEffect(() => {
    const me = vault.current()?.cid;
    if (me) void orders.refresh(me);
  });
  const due = () => dueOrders(orders.orders(), vault.current()?.cid ?? '', Date.now());
  return (
    <Show when={due().length > 0}>
      <Card title="Check in">
        <ul class="plain-list stack" data-testid="release-reminders">
          <For each={due()}>
            {(d) => (
              <li class="release-reminder" data-testid="release-reminder-item" data-order={d.order.id}>
                <a href={href(`/orders/${d.order.id}`)}>{orderTitle(d.order)}</a>: {d.words}.
              </li>
            )}
          </For>
        </ul>
      </Card>
    </Show>
  );
};
