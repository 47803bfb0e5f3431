/**
 * Ordering a Bitcoin key: the node draws its share f, the beneficiary's share b stays in its worker; the
 * address of F + B is shown once the node's reply is verified (proof of knowledge of f, both addresses,
 * the commitment). The key is retrieved later from the order's page (recombined on the beneficiary's device).
 * The beneficiary is this identity, or another one that gave us its key card (scanned or pasted); key cards
 * for others to order with are made here too.
 * @module
 */
import { type Component, createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { NodeSelect } from '../nodes/NodeSelect.tsx';
import { type Beneficiary, BeneficiaryFieldset } from '../orders/BeneficiaryFieldset.tsx';
import type { OrderRecord } from '../orders/model.ts';
import { createOrdersStore } from '../orders/store.ts';
import { QrScan } from '../qr/index.ts';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import {
  Card,
  CopyText,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  NodeButton,
  Page,
  Progress,
  shortCid,
} from '../ui/index.ts';
import { ADDRESS_TYPES, NETWORK_NAMES, orderBitcoin } from './flow.ts';
import { KeyCards } from './KeyCards.tsx';
import { parseKeyCard } from './keycard.ts';
import { bitcoinSummaryOf } from './summary.ts';

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
  const [who, setWho] = createSignal<Beneficiary>('me');
  const [card, setCard] = createSignal('');
  const [placed, setPlaced] = createSignal<OrderRecord>();
  const ids = {
    network: fieldId('network'),
    kind: fieldId('address-type'),
    label: fieldId('label'),
    card: fieldId('key-card'),
  };
  /** What the pasted or scanned card says (its signature is checked when the order is sent), or why it is unusable. */
  const cardInfo = createMemo(() => {
    if (who() !== 'other' || !card().trim()) return undefined;
    try {
      const c = parseKeyCard(card(), { now: Date.now() }); // an expired card is said at once, not on sending
      return { ok: true as const, signer: c.signer.toString(), network: c.network };
    } catch (e) {
      return { ok: false as const, message: e instanceof Error ? e.message : String(e) };
    }
  });
  createEffect(() => {
    const me = vault.current()?.cid;
    if (me) void orders.refresh(me);
  });
  const submit = createAction(async () => {
    setPlaced(undefined);
    const p = await orderBitcoin(deps, {
      node: node(),
      network: network(),
      addressType: kind(),
      ...(label().trim() ? { label: label() } : {}),
      ...(who() === 'other' ? { card: card() } : {}),
    });
    setPlaced(p.order);
    setCard('');
    const me = vault.current()?.cid;
    if (me) await orders.refresh(me);
  });
  const mine = () => orders.orders().filter((o) => o.plugin === 'bitcoin');
  return (
    <Page
      title="Bitcoin key"
      intro="A Bitcoin address whose key nobody holds until you retrieve it: the node keeps one share, this device the other."
    >
      <IdentityGate>
        <Card title="Order a key">
          <form
            class="stack"
            aria-label="Order a Bitcoin key"
            onSubmit={(e) => {
              e.preventDefault();
              void submit.run();
            }}
          >
            <NodeSelect plugin="bitcoin" value={node()} onChange={setNode} testid="bitcoin-node" />
            <Field label="Network" for={ids.network}>
              <select
                id={ids.network}
                value={network()}
                onChange={(e) => setNetwork(e.currentTarget.value as Network)}
                data-testid="bitcoin-network"
              >
                <For each={NETWORK_NAMES}>{(n) => <option value={n}>{n}</option>}</For>
              </select>
            </Field>
            <Field label="Address type" for={ids.kind}>
              <select
                id={ids.kind}
                value={kind()}
                onChange={(e) => setKind(e.currentTarget.value as AddressKind)}
                data-testid="bitcoin-address-type"
              >
                <For each={ADDRESS_TYPES}>
                  {(t) => <option value={t}>{t === 'p2wpkh' ? 'P2WPKH (SegWit v0)' : 'P2TR (Taproot)'}</option>}
                </For>
              </select>
            </Field>
            <BeneficiaryFieldset who={who()} onWho={setWho} prefix="bitcoin-">
              <Field
                label="Their key card"
                for={ids.card}
                hint="They make it on their Bitcoin page (Receive a key from someone else) and show it as a QR code or text. They must have added this node."
              >
                <textarea
                  id={ids.card}
                  rows={4}
                  class="mono"
                  value={card()}
                  onInput={(e) => setCard(e.currentTarget.value)}
                  placeholder="dta:bitcoin-key:…"
                  autocomplete="off"
                  spellcheck={false}
                  data-testid="bitcoin-card-input"
                />
              </Field>
              <QrScan
                what="key card"
                testid="bitcoin-card-scan"
                onText={(t) => {
                  parseKeyCard(t); // refuse a code that is not a key card, next to the scan buttons
                  setCard(t);
                }}
              />
              <Show when={cardInfo()}>
                {(i) => {
                  const info = i();
                  return info.ok ? (
                    <p class="small" data-testid="bitcoin-card-info">
                      Key card for {info.network}, signed by{' '}
                      <span class="mono" title={info.signer}>
                        {shortCid(info.signer)}
                      </span>
                      .
                    </p>
                  ) : (
                    <p class="small field-error" data-testid="bitcoin-card-info">
                      {info.message}
                    </p>
                  );
                }}
              </Show>
            </BeneficiaryFieldset>
            <Field label="Label (optional)" for={ids.label}>
              <input
                id={ids.label}
                maxlength={128}
                value={label()}
                onInput={(e) => setLabel(e.currentTarget.value)}
                data-testid="bitcoin-label"
              />
            </Field>
            <NodeButton
              type="submit"
              variant="primary"
              busy={submit.pending()}
              disabled={!node() || (who() === 'other' && !card().trim())}
              data-testid="bitcoin-submit"
            >
              Order the key
            </NodeButton>
            <Show when={submit.pending()}>
              <Progress label="Sending the order and verifying the node's share and the address…" />
            </Show>
            <Show when={submit.error()}>
              <ErrorNote error={submit.error()} onDismiss={submit.clear} />
            </Show>
          </form>
          <Show when={placed()?.summary?.kind === 'bitcoin' ? placed() : undefined}>
            {(o) => (
              <div
                class="stack"
                data-testid="bitcoin-ordered"
                data-order-id={o().id}
                data-role={o().role}
                data-network={bitcoinSummaryOf(o())?.network}
                data-address-type={bitcoinSummaryOf(o())?.addressType}
              >
                <Show
                  when={o().role === 'principal'}
                  fallback={
                    <p class="success" role="status">
                      Verified. Funds sent to this address can only be spent once you retrieve the key.
                    </p>
                  }
                >
                  <p class="success" role="status">
                    Verified. Funds sent to this address can only be spent once the beneficiary (
                    <span class="mono" title={o().beneficiary}>
                      {shortCid(o().beneficiary)}
                    </span>
                    ) retrieves the key.
                  </p>
                </Show>
                <p data-testid="bitcoin-address">
                  <CopyText value={addressOf(o())} label="Bitcoin address" />
                </p>
                <Show when={o().role === 'principal'}>
                  <p class="small">
                    Give the beneficiary this order id: they add it under Orders (Add an order you are named in) and
                    retrieve the key there.
                  </p>
                  <p data-testid="bitcoin-order-id">
                    <CopyText value={o().id} label="order id" />
                  </p>
                </Show>
                <a href={href(`/orders/${o().id}`)} data-testid="bitcoin-order-link">
                  {o().role === 'principal' ? 'Open the order (history)' : 'Open the order (retrieve the key, history)'}
                </a>
              </div>
            )}
          </Show>
        </Card>
        <Card title="Receive a key from someone else">
          <KeyCards orders={orders.orders()} />
        </Card>
        <Card title="Your Bitcoin orders">
          <Show when={mine().length > 0} fallback={<p class="muted">None yet.</p>}>
            <ul class="plain-list stack" data-testid="bitcoin-orders">
              <For each={mine()}>
                {(o) => (
                  <li data-testid="bitcoin-order-item" data-order-id={o.id}>
                    <a href={href(`/orders/${o.id}`)} class="mono">
                      {o.summary?.kind === 'bitcoin' ? o.summary.address : o.id}
                    </a>
                    <span class="small muted">
                      {' '}
                      · {o.summary?.kind === 'bitcoin' ? o.summary.network : (o.bitcoin?.network ?? '')} · {o.state}
                      {o.role === 'principal' ? ` · for ${shortCid(o.beneficiary)}` : ''}
                    </span>
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
