/**
 * Ordering a Bitcoin key: the node draws its share f, this identity's share b stays in the worker; the
 * address of F + B is shown once the node's reply is verified (proof of knowledge of f, both addresses,
 * the commitment). The key is retrieved later from the order's page (recombined on this device).
 * @module
 */
import { createEffect, createSignal, For, Show, type Component } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { NodeSelect } from '../nodes/NodeSelect.tsx';
import type { OrderRecord } from '../orders/model.ts';
import { createOrdersStore } from '../orders/store.ts';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import { Button, Card, CopyText, createAction, ErrorNote, Field, fieldId, Page, Progress } from '../ui/index.ts';
import { ADDRESS_TYPES, NETWORK_NAMES, orderBitcoin } from './flow.ts';

const addressOf = (o: OrderRecord): string => (o.summary?.kind === 'bitcoin' ? o.summary.address : '');

type Network = (typeof NETWORK_NAMES)[number];
type AddressKind = (typeof ADDRESS_TYPES)[number];

export const BitcoinPage: Component = () => {
  const deps = useFlows();
  const { vault } = useApp();
  const orders = createOrdersStore(deps);
  const [node, setNode] = createSignal('');
  const [network, setNetwork] = createSignal<Network>('regtest');
  const [kind, setKind] = createSignal<AddressKind>('p2wpkh');
  const [label, setLabel] = createSignal('');
  const [placed, setPlaced] = createSignal<OrderRecord>();
  const ids = { network: fieldId('network'), kind: fieldId('address-type'), label: fieldId('label') };
  createEffect(() => {
    const me = vault.current()?.cid;
    if (me) void orders.refresh(me);
  });
  const submit = createAction(async () => {
    const p = await orderBitcoin(deps, { node: node(), network: network(), addressType: kind(), ...(label().trim() ? { label: label() } : {}) });
    setPlaced(p.order);
    const me = vault.current()?.cid;
    if (me) await orders.refresh(me);
  });
  const mine = () => orders.orders().filter((o) => o.plugin === 'bitcoin');
  return (
    <Page title="Bitcoin key" intro="A Bitcoin address whose key nobody holds until you retrieve it: the node keeps one share, this device the other.">
      <IdentityGate>
        <Card title="Order a key">
          <form class="stack" aria-label="Order a Bitcoin key" onSubmit={(e) => { e.preventDefault(); void submit.run(); }}>
            <NodeSelect plugin="bitcoin" value={node()} onChange={setNode} testid="bitcoin-node" />
            <Field label="Network" for={ids.network}>
              <select id={ids.network} value={network()} onChange={(e) => setNetwork(e.currentTarget.value as Network)} data-testid="bitcoin-network">
                <For each={NETWORK_NAMES}>{(n) => <option value={n}>{n}</option>}</For>
              </select>
            </Field>
            <Field label="Address type" for={ids.kind}>
              <select id={ids.kind} value={kind()} onChange={(e) => setKind(e.currentTarget.value as AddressKind)} data-testid="bitcoin-address-type">
                <For each={ADDRESS_TYPES}>{(t) => <option value={t}>{t === 'p2wpkh' ? 'P2WPKH (SegWit v0)' : 'P2TR (Taproot)'}</option>}</For>
              </select>
            </Field>
            <Field label="Label (optional)" for={ids.label}>
              <input id={ids.label} maxlength={128} value={label()} onInput={(e) => setLabel(e.currentTarget.value)} data-testid="bitcoin-label" />
            </Field>
            <Button type="submit" variant="primary" busy={submit.pending()} disabled={!node()} data-testid="bitcoin-submit">Order the key</Button>
            <Show when={submit.pending()}><Progress label="Sending the order and verifying the node's share and the address…" /></Show>
            <Show when={submit.error()}><ErrorNote error={submit.error()} onDismiss={submit.clear} /></Show>
          </form>
          <Show when={placed()?.summary?.kind === 'bitcoin' ? placed() : undefined}>
            {(o) => (
              <div class="stack" data-testid="bitcoin-ordered" data-order-id={o().id}>
                <p class="success" role="status">Verified. Funds sent to this address can only be spent once you retrieve the key.</p>
                <p data-testid="bitcoin-address"><CopyText value={addressOf(o())} label="Bitcoin address" /></p>
                <a href={href(`/orders/${o().id}`)} data-testid="bitcoin-order-link">Open the order (retrieve the key, history)</a>
              </div>
            )}
          </Show>
        </Card>
        <Card title="Your Bitcoin orders">
          <Show when={mine().length > 0} fallback={<p class="muted">None yet.</p>}>
            <ul class="plain-list stack" data-testid="bitcoin-orders">
              <For each={mine()}>
                {(o) => (
                  <li data-testid="bitcoin-order-item" data-order-id={o.id}>
                    <a href={href(`/orders/${o.id}`)} class="mono">{o.summary?.kind === 'bitcoin' ? o.summary.address : o.id}</a>
                    <span class="small muted"> · {o.bitcoin?.network ?? ''} · {o.state}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Card>
      </IdentityGate>
    </Page>
  );
};
