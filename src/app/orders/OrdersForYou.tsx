/**
 * "Orders for you", on its own: the orders that name this identity on its nodes, fetched when the screen opens
 * and on demand. Each entry opens the order the way "Add an order" does (read from its node, chain checked,
 * stored on this device), or at once when it is stored already. Shown only when the identity has nodes.
 * @module
 */
import { type Component, createEffect, createSignal, For, on, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { nodesStoreOf } from '../nodes/store.ts';
import { useApp } from '../shell/context.tsx';
import { navigate } from '../shell/router.ts';
import { Button, Card, createAction, ErrorNote, formatTime, NodeButton, Progress, shortCid } from '../ui/index.ts';
import { importOrder } from './flow.ts';
import { type OrdersForYou as Found, type OrderForYou, ordersForYou } from './for-you.ts';
import { orderKind, summarizerFor } from './kinds.ts';
import { findOrder } from './repo.ts';

/** An order's status on its node, as listed. */
const STATUS_WORDS: Readonly<Record<OrderForYou['status'], string>> = {
  open: 'Open',
  redeemed: 'Retrieved',
  cancelled: 'Cancelled',
};

const Entry: Component<{ readonly order: OrderForYou }> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  const open = createAction(async () => {
    const o = props.order;
    const stored = await findOrder(deps, vault.current()?.cid ?? '', o.id);
    if (!stored) await importOrder(deps, o.node, o.id, summarizerFor(o.plugin));
    navigate(`/orders/${o.id}`);
  });
  return (
    <li class="card" data-testid="order-for-you" data-order-id={props.order.id} data-node-url={props.order.node}>
      <p>
        <strong>{orderKind(props.order.plugin)?.title ?? props.order.plugin}</strong> from{' '}
        <span title={props.order.principal} data-testid="order-for-you-from">
          {props.order.from ?? shortCid(props.order.principal)}
        </span>
      </p>
      <p class="small muted">
        {STATUS_WORDS[props.order.status]} · on {props.order.nodeName} · {formatTime(props.order.created)}
      </p>
      <Button variant="primary" busy={open.pending()} onClick={() => void open.run()} data-testid="open-order-for-you">
        Open
      </Button>
      <Show when={open.error()}>
        <ErrorNote error={open.error()} onDismiss={open.clear} />
      </Show>
    </li>
  );
};

export const OrdersForYou: Component = () => {
  const deps = useFlows();
  const { vault } = useApp();
  const nodes = nodesStoreOf(deps);
  const [found, setFound] = createSignal<Found>();
  const load = createAction(async () => {
    const me = vault.current()?.cid;
    if (me) setFound(await ordersForYou(deps, nodes.nodes(), me));
  });
  createEffect(() => {
    if (vault.current()?.cid) void nodes.refresh();
  });
  createEffect(
    on(
      () => [vault.current()?.cid, nodes.nodes().length] as const,
      ([me, count]) => {
        if (me && count > 0) void load.run();
      },
    ),
  );
  return (
    <Show when={nodes.nodes().length > 0}>
      <Card title="Orders for you">
        <p class="small muted">Orders that name you as beneficiary, as your nodes list them.</p>
        <NodeButton busy={load.pending()} onClick={() => void load.run()} data-testid="refresh-orders-for-you">
          Look again
        </NodeButton>
        <Show when={load.pending() && !found()}>
          <Progress label="Asking your nodes for the orders that name you…" />
        </Show>
        <Show when={load.error()}>
          <ErrorNote error={load.error()} onDismiss={load.clear} />
        </Show>
        <Show when={found()}>
          {(f) => (
            <>
              <For each={f().failed}>
                {(n) => (
                  <p class="hint" data-testid="orders-for-you-failed">
                    {n.node} did not answer: {n.reason}
                  </p>
                )}
              </For>
              <Show
                when={f().orders.length > 0}
                fallback={
                  <p class="muted" data-testid="orders-for-you-empty">
                    No orders name you on your nodes yet.
                  </p>
                }
              >
                <ul class="plain-list stack" data-testid="orders-for-you">
                  <For each={f().orders}>{(o) => <Entry order={o} />}</For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </Card>
    </Show>
  );
};
