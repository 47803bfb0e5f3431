/**
 * One order: what it is, who is involved, its state, what the node signed (the summary), the actions open
 * to you (retrieve as beneficiary, send a waiting request again) and its full envelope chain with
 * verification marks. Readable offline from this device; verifying online adds new steps from the node.
 * @module
 */
import { type Component, createEffect, createSignal, on, onMount, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { useFlows } from '../api/use.ts';
import { ClaimSharePanel, claimOfOrder } from '../claim/ClaimSharePanel.tsx';
import { IdentityGate } from '../keys/index.tsx';
import { nodesStoreOf } from '../nodes/store.ts';
import { online } from '../pwa/index.ts';
import { useApp } from '../shell/context.tsx';
import type { RouteProps } from '../shell/router.ts';
import {
  Button,
  Card,
  CopyText,
  createAction,
  ErrorNote,
  formatTime,
  NodeButton,
  Page,
  Progress,
} from '../ui/index.ts';
import { ChainView } from './ChainView.tsx';
import { ReleasePanel } from './conditions/ReleasePanel.tsx';
import { resendOrder, verifyOrder } from './flow.ts';
import { nextSteps, orderKind, summarizerFor } from './kinds.ts';
import type { OrderRecord } from './model.ts';
import { PartyName, partyName } from './PartyName.tsx';
import { findOrder } from './repo.ts';
import { SharePanel } from './SharePanel.tsx';
import { intentTitle, orderTitle, stateTitle } from './titles.ts';

const Summary: Component<{ readonly order: OrderRecord; readonly me: string }> = (props) => (
  <dl class="facts" data-testid="order-summary">
    <dt>Order id</dt>
    <dd data-testid="order-id">
      <CopyText value={props.order.id} label="order id" />
    </dd>
    <dt>State</dt>
    <dd data-testid="order-state" data-state={props.order.state}>
      {stateTitle(props.order)}
    </dd>
    <dt>Node</dt>
    <dd class="mono">{props.order.node}</dd>
    <dt>Principal</dt>
    <dd data-testid="order-principal" data-cid={props.order.principal}>
      <PartyName order={props.order} cid={props.order.principal} me={props.me} />
    </dd>
    <dt>Beneficiary</dt>
    <dd data-testid="order-beneficiary" data-cid={props.order.beneficiary}>
      <PartyName order={props.order} cid={props.order.beneficiary} me={props.me} />
    </dd>
    <dt>Created</dt>
    <dd>{formatTime(props.order.created)}</dd>
    <dt>Principal's intent</dt>
    <dd data-testid="order-intent" data-intent={props.order.intent?.kind ?? 'before-intents'}>
      {intentTitle(props.order)}
    </dd>
    <Dynamic component={orderKind(props.order.plugin)?.Facts} order={props.order} />
    <Show when={props.order.error}>
      <dt>Last error</dt>
      <dd class="field-error" data-testid="order-error">
        {props.order.error}
      </dd>
    </Show>
  </dl>
);

export const OrderPage: Component<RouteProps> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  const me = () => vault.current()?.cid ?? '';
  const [order, setOrder] = createSignal<OrderRecord | null>();
  const nodes = nodesStoreOf(deps);
  const nodeNames = () => new Map(nodes.nodes().map((n) => [n.identity, n.name]));
  onMount(() => void nodes.refresh()); // the chain names the steps a node signed by the node's name
  const reload = async () => setOrder((await findOrder(deps, me(), props.params.id ?? '')) ?? null);
  const verify = createAction(async (offline: boolean) =>
    setOrder(await verifyOrder(deps, props.params.id ?? '', { offline })),
  );
  const resend = createAction(async () => {
    const o = order();
    if (o) setOrder((await resendOrder(deps, o.id, summarizerFor(o.plugin))).order);
  });
  // A retrieval stored its request and the node's reply: the history verifies them at once (what is stored, no
  // network), so it never lists the order as retrieved with the envelopes of before.
  const retrieved = async () => {
    await reload();
    await verify.run(true);
  };
  createEffect(
    on(
      () => [me(), props.params.id],
      async () => {
        if (!me()) return;
        await reload();
        const o = order();
        if (o?.head && !o.pending) void verify.run(!online());
      },
    ),
  );
  return (
    <Page title="Order">
      <IdentityGate>
        <Show when={order() !== undefined} fallback={<Progress label="Reading the order…" />}>
          <Show
            when={order()}
            fallback={
              <p class="error-note" role="alert" data-testid="order-missing">
                This order is not stored on this device for this identity.
              </p>
            }
          >
            {(o) => (
              <>
                <Card title={orderTitle(o())}>
                  <Summary order={o()} me={me()} />
                  <Show when={nextSteps(o()).resend}>
                    <NodeButton busy={resend.pending()} onClick={() => void resend.run()} data-testid="resend">
                      Send the request again
                    </NodeButton>
                    <Show when={resend.error()}>
                      <ErrorNote error={resend.error()} onDismiss={resend.clear} />
                    </Show>
                  </Show>
                </Card>
                <ReleasePanel order={o()} me={me()} nodes={nodeNames()} onChange={setOrder} />
                <Show when={o().principal === me() && o().beneficiary !== me()}>
                  <Card title="Tell the beneficiary">
                    <SharePanel order={o()} beneficiary={partyName(o(), o().beneficiary, me()) ?? 'the beneficiary'} />
                  </Card>
                </Show>
                <Show when={o().principal === me() && claimOfOrder(o())}>
                  {(claim) => (
                    <Card title="Tell whoever signs in">
                      <ClaimSharePanel claim={claim()} />
                    </Card>
                  )}
                </Show>
                <Show when={nextSteps(o()).retrieve}>
                  <Card title="Retrieve">
                    <Dynamic component={orderKind(o().plugin)?.Retrieve} order={o()} onDone={() => void retrieved()} />
                  </Card>
                </Show>
                <Card title="History">
                  <div class="row">
                    <Button
                      busy={verify.pending()}
                      disabled={!online()}
                      onClick={() => void verify.run(false)}
                      data-testid="verify-online"
                    >
                      Verify with the node and IPFS
                    </Button>
                    <Button busy={verify.pending()} onClick={() => void verify.run(true)} data-testid="verify-offline">
                      Verify what is stored
                    </Button>
                  </div>
                  <Show when={verify.pending()}>
                    <Progress label="Fetching every envelope and identity by CID and verifying signatures and links…" />
                  </Show>
                  <Show when={verify.error()}>
                    <ErrorNote error={verify.error()} onDismiss={verify.clear} />
                  </Show>
                  <ChainView order={o()} me={me()} nodes={nodeNames()} />
                </Card>
              </>
            )}
          </Show>
        </Show>
      </IdentityGate>
    </Page>
  );
};
