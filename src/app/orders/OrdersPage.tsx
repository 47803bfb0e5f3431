/**
 * Orders: every order this identity took part in, stored on this device (listed offline too), with links to
 * new orders and a form to add an order someone named you in (by its node and id).
 * @module
 */
import { type Component, createEffect, createSignal, For, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { NodeSelect } from '../nodes/NodeSelect.tsx';
import { useApp } from '../shell/context.tsx';
import { href, navigate } from '../shell/router.ts';
import {
  Card,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  formatTime,
  NodeButton,
  Page,
  Progress,
  shortCid,
} from '../ui/index.ts';
import { importOrder } from './flow.ts';
import { orderKinds, summarizerFor } from './kinds.ts';
import { OrdersForYou } from './OrdersForYou.tsx';
import { createOrdersStore } from './store.ts';
import { orderTitle, stateTitle } from './titles.ts';

/** The form of "Add an order"; a share link (AddOrderPage) fills it in with the order's node, id and kind. */
export const ImportForm: Component<{
  readonly onDone: (id: string) => void;
  readonly initial?: { readonly node?: string; readonly id?: string; readonly plugin?: string };
}> = (props) => {
  const deps = useFlows();
  const [node, setNode] = createSignal(props.initial?.node ?? '');
  const importable = orderKinds().filter((k) => k.importable);
  const initialKind = importable.find((k) => k.plugin === props.initial?.plugin) ?? importable[0];
  const [plugin, setPlugin] = createSignal(initialKind?.plugin ?? '');
  const [id, setId] = createSignal(props.initial?.id ?? '');
  const idField = fieldId('order-id');
  const pluginField = fieldId('order-plugin');
  const run = createAction(async () => {
    const o = await importOrder(deps, node(), id(), summarizerFor(plugin()));
    props.onDone(o.id);
  });
  return (
    <form
      class="stack"
      aria-label="Add an order you are named in"
      onSubmit={(e) => {
        e.preventDefault();
        void run.run();
      }}
    >
      <Field label="Service" for={pluginField}>
        <select
          id={pluginField}
          value={plugin()}
          onChange={(e) => setPlugin(e.currentTarget.value)}
          data-testid="import-plugin"
        >
          <For each={importable}>{(k) => <option value={k.plugin}>{k.title}</option>}</For>
        </select>
      </Field>
      <NodeSelect plugin={plugin()} value={node()} onChange={setNode} testid="import-node" />
      <Field label="Order id" for={idField} hint="The order's CID (bafyrei…), as the principal gave it to you.">
        <input
          id={idField}
          required
          value={id()}
          onInput={(e) => setId(e.currentTarget.value)}
          class="mono"
          autocomplete="off"
          spellcheck={false}
          data-testid="import-order-id"
        />
      </Field>
      <NodeButton
        type="submit"
        busy={run.pending()}
        disabled={!id().trim() || !node()}
        data-testid="import-order-submit"
      >
        Add order
      </NodeButton>
      <Show when={run.pending()}>
        <Progress label="Reading the order from its node and checking the node's reply…" />
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </form>
  );
};

export const OrdersPage: Component = () => {
  const { vault } = useApp();
  const store = createOrdersStore(useFlows());
  createEffect(() => {
    const me = vault.current()?.cid;
    if (me) void store.refresh(me);
  });
  return (
    <Page
      title="Orders"
      intro="Secrets you safeguarded or were named beneficiary of, Bitcoin keys and M-Pin shares: stored on this device with their signed history."
    >
      <IdentityGate>
        <div class="row">
          {/* The first kind registered is the main action. */}
          <For each={orderKinds().flatMap((k) => (k.create ? [k.create] : []))}>
            {(c, i) => (
              <a
                class={`btn ${i() === 0 ? 'btn-primary' : 'btn-secondary'}`}
                href={href(c.href)}
                data-testid={c.testid}
              >
                {c.label}
              </a>
            )}
          </For>
        </div>
        <OrdersForYou />
        <Show when={store.loaded()} fallback={<Progress label="Reading your orders…" />}>
          <Show
            when={store.orders().length > 0}
            fallback={
              <p class="muted" data-testid="orders-empty">
                No orders yet.
              </p>
            }
          >
            <ul class="plain-list stack" data-testid="order-list">
              <For each={store.orders()}>
                {(o) => (
                  <li
                    class="card"
                    data-testid="order-item"
                    data-order-id={o.id}
                    data-state={o.state}
                    data-plugin={o.plugin}
                  >
                    <a href={href(`/orders/${o.id}`)} data-testid="order-link">
                      <strong>{orderTitle(o)}</strong>
                    </a>
                    <p class="small">
                      <span data-testid="order-state">{stateTitle(o)}</span> · you are{' '}
                      {o.role === 'both' ? 'principal and beneficiary' : o.role} · {formatTime(o.created)} ·{' '}
                      <span class="mono" title={o.id}>
                        {shortCid(o.id)}
                      </span>
                      <Show when={o.check}>
                        {(c) => <> · {c().verified ? '✓ chain verified' : '✗ chain not verified'}</>}
                      </Show>
                    </p>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
        <Card title="Add an order you are named in">
          <ImportForm onDone={(id) => navigate(`/orders/${id}`)} />
        </Card>
      </IdentityGate>
    </Page>
  );
};
