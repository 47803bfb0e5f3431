/**
 * Where the provider sends the person back (sign-in-return.ts moved its answer here): the answer is checked
 * against the sign-in the worker keeps (`state`), its code exchanged for the ID token, and every node asked at
 * once, each shown as it answers. The secret is shown masked until revealed, and wiped when hidden or left; a
 * refusal is said in plain words (who signed in, when the secret is for another account), with a way to sign in
 * again (with the same key for the claim, so that what nodes released to it is kept), to ask the nodes again with
 * the same sign-in, or to give up (which deletes the key made for the claim).
 * @module
 */
import { type Component, createResource, createSignal, onCleanup, Show } from 'solid-js';
import { wipe } from '../../core/bytes.ts';
import type { OidcRedeemed } from '../../worker/api/oidc-redeem.ts';
import { RetrievedSecret } from '../orders/RetrievedSecret.tsx';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, Page, Progress } from '../ui/index.ts';
import { ClaimProgress, type ClaimRow, waitingRows, withProgress } from './ClaimProgress.tsx';
import { finishSignIn, redeemSignedIn, type SignedIn, signInAgain } from './flow.ts';
import { SignInError } from './provider.ts';
import { claimRefusal } from './refusal.ts';
import { takeSignInReturn } from './sign-in-return.ts';

const Redeem: Component<{ readonly signedIn: SignedIn }> = (props) => {
  const { api } = useApp();
  const [rows, setRows] = createSignal<ClaimRow[]>(waitingRows(props.signedIn.facts.holders));
  const [secret, setSecret] = createSignal<Uint8Array>();
  const [refused, setRefused] = createSignal<OidcRedeemed['problem']>();
  const [gone, setGone] = createSignal(false);
  const forget = () => {
    const s = secret();
    if (s) wipe(s);
    setSecret(undefined);
  };
  onCleanup(forget);
  const redeem = createAction(async () => {
    setRefused(undefined);
    setRows(waitingRows(props.signedIn.facts.holders));
    const got = await redeemSignedIn(api, props.signedIn, (p) => setRows((r) => withProgress(r, p)));
    if (got.secret) setSecret(() => got.secret);
    else setRefused(got.problem);
  });
  void redeem.run();
  const giveUp = createAction(async () => {
    await api.oidc.cancel(props.signedIn.state);
    setGone(true);
  });
  const again = createAction(async () => location.assign(await signInAgain(api, props.signedIn)));
  const who = () => props.signedIn.signedInAs;
  return (
    <div class="stack">
      <Show when={who()}>
        <p data-testid="claim-signed-in-as">
          Signed in as <strong>{who()}</strong>.
        </p>
      </Show>
      <Show when={secret()}>
        {(s) => (
          <RetrievedSecret secret={s()} onForget={forget}>
            <p class="success" role="status">
              The nodes released the secret to you; the key made for this claim is deleted from this device.
            </p>
          </RetrievedSecret>
        )}
      </Show>
      <Show when={!secret()}>
        <ClaimProgress rows={rows()} />
      </Show>
      <Show when={redeem.pending()}>
        <Progress label="Asking the nodes, with your sign-in…" />
      </Show>
      <Show when={refused()}>
        {(p) => (
          <div class="error-note" role="alert" data-testid="claim-refused" data-code={p().code}>
            <p class="error-message">{claimRefusal(p(), who())}</p>
          </div>
        )}
      </Show>
      <Show when={(refused() || redeem.error()) && !gone()}>
        <div class="row">
          <Button onClick={() => void again.run()} busy={again.pending()} data-testid="claim-sign-in-again">
            Sign in again
          </Button>
          <Button onClick={() => void redeem.run()} busy={redeem.pending()} data-testid="claim-retry">
            Ask the nodes again
          </Button>
          <Button variant="link" onClick={() => void giveUp.run()} data-testid="claim-cancel">
            Cancel this claim
          </Button>
        </div>
      </Show>
      <Show when={gone()}>
        <p role="status" data-testid="claim-cancelled">
          Cancelled: the key made for this claim is deleted from this device.
        </p>
      </Show>
      <Show when={redeem.error() ?? giveUp.error() ?? again.error()}>{(e) => <ErrorNote error={e()} />}</Show>
    </div>
  );
};

export const ClaimBackPage: Component = () => {
  const { api } = useApp();
  const [signedIn] = createResource(async () => {
    const back = takeSignInReturn();
    if (!back) throw new SignInError('no sign-in came back to this page: open the link you were sent again');
    return finishSignIn(api, back);
  });
  return (
    <Page title="Receive a secret">
      <Show when={signedIn.loading}>
        <Progress label="Finishing the sign-in with the provider…" />
      </Show>
      <Show when={signedIn.error}>
        <ErrorNote error={signedIn.error} />
      </Show>
      <Show when={signedIn.state === 'ready' && signedIn()}>{(s) => <Redeem signedIn={s()} />}</Show>
    </Page>
  );
};
