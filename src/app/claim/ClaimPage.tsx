/**
 * The page a claim link opens (claim-link.ts), for someone with no dta key: what the link is for, and "Sign in
 * with <provider>" (the name the order's nodes give the provider the order names). Signing in makes a fresh key in
 * the app's worker for this claim alone, makes it known to each node, and goes to the provider; the provider sends
 * the person back to the app (ClaimBackPage), where the nodes are asked.
 * @module
 */
import { type Component, createResource, createSignal, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { useLocation } from '../shell/router.ts';
import { createAction, ErrorNote, NodeButton, Page, Progress } from '../ui/index.ts';
import { ClaimProgress, type ClaimRow, waitingRows, withProgress } from './ClaimProgress.tsx';
import { type Claim, claimOf } from './claim-link.ts';
import { startSignIn } from './flow.ts';
import { trustedIssuer } from './issuers.ts';

const SignIn: Component<{ readonly claim: Claim }> = (props) => {
  const { api } = useApp();
  const nodes = () => props.claim.holders.map((h) => h.url);
  const [trusted] = createResource(() => trustedIssuer(nodes(), props.claim.issuer));
  const [rows, setRows] = createSignal<ClaimRow[]>([]);
  const go = createAction(async () => {
    const provider = trusted.state === 'ready' ? trusted() : undefined;
    if (!provider) return;
    setRows(waitingRows(props.claim.holders));
    const url = await startSignIn(api, props.claim, provider, (p) => setRows((r) => withProgress(r, p)));
    location.assign(url);
  });
  const what = () =>
    props.claim.kind === 'custody'
      ? `Its parts are held by ${props.claim.holders.length} nodes; enough of them release theirs to you.`
      : 'It is held by one node, which releases it to you.';
  return (
    <div class="stack">
      <p>
        Someone left a secret for the person who signs in with this account. {what()} Nothing is stored for you on this
        device: a key is made for this claim alone and deleted once you have the secret.
      </p>
      <Show when={trusted.error}>
        <ErrorNote error={trusted.error} />
      </Show>
      <Show when={trusted.loading}>
        <Progress label="Asking the nodes which provider to sign in with…" />
      </Show>
      <Show when={trusted.state === 'ready' && trusted()}>
        {(provider) => (
          <NodeButton variant="primary" busy={go.pending()} onClick={() => void go.run()} data-testid="claim-sign-in">
            Sign in with {provider().name}
          </NodeButton>
        )}
      </Show>
      <Show when={rows().length > 0}>
        <ClaimProgress rows={rows()} />
      </Show>
      <Show when={go.error()}>
        <ErrorNote error={go.error()} onDismiss={go.clear} />
      </Show>
    </div>
  );
};

export const ClaimPage: Component = () => {
  const where = useLocation();
  const claim = () => {
    try {
      return { claim: claimOf(where().query) };
    } catch (e) {
      return { error: e };
    }
  };
  return (
    <Page title="Receive a secret">
      <Show when={claim().claim} fallback={<ErrorNote error={claim().error} />}>
        {(c) => <SignIn claim={c()} />}
      </Show>
    </Page>
  );
};
