/**
 * The beneficiary's side of a key ordered by someone else: a key card (this identity's signed statement of a
 * fresh public key B, for one network) shown as a QR code and as text to copy. The principal orders with it;
 * b stays in the worker. Cards made earlier are listed, to be shown again.
 * @module
 */
import { type Component, createEffect, createSignal, For, Show } from 'solid-js';
import type { NetworkName } from '../../plugins/bitcoin/network.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { QrCode } from '../qr/index.ts';
import { useApp } from '../shell/context.tsx';
import { Button, CopyText, createAction, ErrorNote, Field, fieldId, formatTime, Progress } from '../ui/index.ts';
import { NETWORK_NAMES } from './flow.ts';
import { createKeyCard, type IssuedKeyCard, isIssued, keyCardText, listKeyCards } from './keycard.ts';

type Shown = IssuedKeyCard & { readonly bytes: Uint8Array };

/** Until when a card is good (a principal's app and the node refuse it after that, and cards without expiry). */
const validity = (c: Shown): string => {
  if (c.expires === undefined) return 'made before cards expired: make a new one';
  const when = formatTime(c.expires);
  return c.expires > Date.now() ? `good until ${when}` : `expired ${when}: make a new one`;
};

export const KeyCards: Component<{ readonly orders: readonly OrderRecord[] }> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  const [network, setNetwork] = createSignal<NetworkName>('regtest');
  const [cards, setCards] = createSignal<readonly Shown[]>([]);
  const [shown, setShown] = createSignal<Shown>();
  const networkField = fieldId('card-network');
  const refresh = async (owner: string) => setCards((await listKeyCards(deps, owner)).filter(isIssued));
  createEffect(() => {
    const me = vault.current()?.cid;
    setShown(undefined);
    if (me) void refresh(me);
  });
  /** The order of ours (imported as beneficiary) that uses the card's key, if any. */
  const usedBy = (c: Shown) =>
    props.orders.find((o) => o.summary?.kind === 'bitcoin' && o.summary.beneficiaryPublicKey === c.publicKey);
  const create = createAction(async () => {
    const card = await createKeyCard(deps, network());
    setShown(card);
    await refresh(card.owner);
  });
  return (
    <div class="stack">
      <p class="small">
        Someone can order a Bitcoin key for you: give them a key card — a public key of yours, signed by your identity —
        as a QR code or as text. The matching private share stays on this device. Each card has a key of its own: make
        one per order. A card is good for 30 days.
      </p>
      <form
        class="stack"
        aria-label="Create a key card"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Network" for={networkField}>
          <select
            id={networkField}
            value={network()}
            onChange={(e) => setNetwork(e.currentTarget.value as NetworkName)}
            data-testid="bitcoin-card-network"
          >
            <For each={NETWORK_NAMES}>{(n) => <option value={n}>{n}</option>}</For>
          </select>
        </Field>
        <Button type="submit" busy={create.pending()} data-testid="bitcoin-card-create">
          Create a key card
        </Button>
        <Show when={create.pending()}>
          <Progress label="Signing a new key card…" />
        </Show>
        <Show when={create.error()}>
          <ErrorNote error={create.error()} onDismiss={create.clear} />
        </Show>
      </form>
      <Show when={shown()}>
        {(c) => (
          <div
            class="stack"
            data-testid="bitcoin-keycard"
            data-card-cid={c().cid}
            data-network={c().network}
            data-index={c().index}
          >
            <p class="small">
              Key card for <strong>{c().network}</strong> (key {c().index}). The person ordering the key scans it or
              pastes the text under "Another identity"; they then give you the order id, which you add under Orders.
            </p>
            <QrCode value={keyCardText(c().bytes)} label="key card" testid="bitcoin-keycard-qr" />
            <p data-testid="bitcoin-keycard-text">
              <CopyText value={keyCardText(c().bytes)} label="key card" />
            </p>
            <Button onClick={() => setShown(undefined)} data-testid="bitcoin-keycard-hide">
              Hide the card
            </Button>
          </div>
        )}
      </Show>
      <Show when={cards().length > 0}>
        <h3>Your key cards</h3>
        <ul class="plain-list stack" data-testid="bitcoin-keycards">
          <For each={cards()}>
            {(c) => (
              <li
                data-testid="bitcoin-keycard-item"
                data-card-cid={c.cid}
                data-network={c.network}
                data-index={c.index}
              >
                <span>
                  {c.network} · {formatTime(c.created)} · key {c.index} · {validity(c)}
                </span>
                <Show when={usedBy(c)}>
                  {(o) => (
                    <span class="small muted">
                      {' '}
                      · used by order <span class="mono">{o().id.slice(0, 12)}…</span>
                    </span>
                  )}
                </Show>{' '}
                <button
                  type="button"
                  class="btn btn-link"
                  onClick={() => setShown(c)}
                  data-testid="bitcoin-keycard-show"
                >
                  Show
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
};
