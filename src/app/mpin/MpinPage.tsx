/**
 * M-Pin: register with two or more issuing nodes (each gives a client-secret share; they are added in the
 * worker and turned into a PIN token with your PIN; only the token is kept), then log in to an
 * authentication server with the PIN and see whether it accepted.
 * @module
 */
import { type Component, createEffect, createSignal, For, Index, onMount, Show } from 'solid-js';
import { wipe } from '../../core/bytes.ts';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { evaluatePrf } from '../keys/webauthn.ts';
import { hasPlugin } from '../nodes/model.ts';
import { nodesStoreOf } from '../nodes/store.ts';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import {
  Button,
  Card,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  formatTime,
  NodeButton,
  Page,
  Progress,
} from '../ui/index.ts';
import { type LoginOutcome, loginMpin, registerMpin, type StepProgress } from './flow.ts';
import { MIN_ISSUERS, type MpinRegistration } from './model.ts';
import { refusalText } from './refusal.ts';
import { createMpinStore } from './store.ts';

type Step = Parameters<StepProgress>[0];

/**
 * A 4-digit PIN field that takes digits only: anything else typed is left out at once, and the field says why until
 * the PIN is complete or cleared.
 */
const PinInput: Component<{
  readonly id: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly testid: string;
}> = (props) => {
  const [refused, setRefused] = createSignal(false);
  const why = `${props.id}-digits`;
  const typed = (field: HTMLInputElement) => {
    const digits = field.value.replace(/\D+/g, '').slice(0, 4);
    if (digits !== field.value) setRefused(true);
    else if (digits.length === 0 || digits.length === 4) setRefused(false);
    // Set back on the element too: when only a refused character was typed the value signal does not change.
    if (digits !== field.value) field.value = digits;
    props.onInput(digits);
  };
  return (
    <>
      <input
        id={props.id}
        type="password"
        inputmode="numeric"
        pattern="[0-9]{4}"
        maxlength={4}
        autocomplete="off"
        required
        value={props.value}
        onInput={(e) => typed(e.currentTarget)}
        aria-invalid={refused() ? 'true' : undefined}
        aria-describedby={refused() ? why : undefined}
        data-testid={props.testid}
      />
      <Show when={refused()}>
        <p class="field-error" id={why} role="alert" data-testid="pin-digits-only">
          A PIN is digits only (0 to 9): that character was left out.
        </p>
      </Show>
    </>
  );
};

const RegisterForm: Component<{ readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  // Enrolling again revokes the older enrolments: where the identity has a passkey, the person confirms with it
  // (user verification), so that a copied identity key alone cannot enrol.
  const verifyUser = async (): Promise<void> => {
    const entry = vault.active();
    if (entry?.protection === 'passkey' && entry.passkey) wipe(await evaluatePrf(entry.passkey));
  };
  const nodes = nodesStoreOf(deps);
  const [chosen, setChosen] = createSignal<readonly string[]>([]);
  const [pin, setPin] = createSignal('');
  const [pin2, setPin2] = createSignal('');
  const [step, setStep] = createSignal<Step>();
  const ids = { pin: fieldId('pin'), pin2: fieldId('pin2') };
  const issuers = () => nodes.nodes().filter((n) => hasPlugin(n, 'mpin'));
  onMount(() => void nodes.refresh());
  const toggle = (url: string, on: boolean) =>
    setChosen((c) => (on ? [...c.filter((u) => u !== url), url] : c.filter((u) => u !== url)));
  const run = createAction(async () => {
    if (pin() !== pin2()) throw Object.assign(new Error('the two PINs differ'), { name: 'InputError' });
    try {
      await registerMpin(deps, { nodes: chosen(), pin: pin(), verifyUser }, setStep);
    } finally {
      setStep(undefined);
    }
    setPin('');
    setPin2('');
    props.onDone();
  });
  return (
    <form
      class="stack"
      aria-label="Register for M-Pin"
      onSubmit={(e) => {
        e.preventDefault();
        void run.run();
      }}
    >
      <Show
        when={issuers().length > 0}
        fallback={
          <p class="hint" data-testid="no-nodes">
            None of your nodes issues M-Pin shares: <a href={href('/nodes')}>add some under Nodes</a>.
          </p>
        }
      >
        <fieldset class="stack">
          <legend>Issuing nodes (at least {MIN_ISSUERS})</legend>
          <For each={issuers()}>
            {(n) => (
              <label>
                <input
                  type="checkbox"
                  checked={chosen().includes(n.url)}
                  onChange={(e) => toggle(n.url, e.currentTarget.checked)}
                  data-testid="mpin-issuer"
                  data-node-url={n.url}
                />{' '}
                {n.name} <span class="mono small">{n.fingerprint}</span>
              </label>
            )}
          </For>
        </fieldset>
      </Show>
      <Field
        label="PIN (4 digits)"
        for={ids.pin}
        hint="Never stored or sent: it is taken out of your secret here, and needed at each login."
      >
        <PinInput id={ids.pin} value={pin()} onInput={setPin} testid="mpin-pin" />
      </Field>
      <Field label="PIN again" for={ids.pin2}>
        <PinInput id={ids.pin2} value={pin2()} onInput={setPin2} testid="mpin-pin-confirm" />
      </Field>
      <NodeButton
        type="submit"
        variant="primary"
        busy={run.pending()}
        disabled={chosen().length < MIN_ISSUERS || pin().length !== 4}
        data-testid="mpin-register"
      >
        Register
      </NodeButton>
      <Show when={step()}>{(s) => <Progress label={`Step ${s().done + 1} of ${s().total}: ${s().what}…`} />}</Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </form>
  );
};

const LoginForm: Component<{ readonly registration: MpinRegistration; readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const nodes = nodesStoreOf(deps);
  const [server, setServer] = createSignal('');
  const [pin, setPin] = createSignal('');
  const [step, setStep] = createSignal<Step>();
  const [outcome, setOutcome] = createSignal<LoginOutcome>();
  const ids = { server: fieldId('server'), pin: fieldId('login-pin') };
  const run = createAction(async () => {
    setOutcome(undefined);
    try {
      setOutcome(await loginMpin(deps, { registration: props.registration.id, server: server(), pin: pin() }, setStep));
    } finally {
      setStep(undefined);
      setPin('');
    }
    props.onDone();
  });
  return (
    <form
      class="stack"
      aria-label="Log in with M-Pin"
      onSubmit={(e) => {
        e.preventDefault();
        void run.run();
      }}
    >
      <Field label="Authentication server URL" for={ids.server} hint="A node running the M-Pin authentication server.">
        <input
          id={ids.server}
          type="url"
          inputmode="url"
          list={`${ids.server}-list`}
          required
          value={server()}
          onInput={(e) => setServer(e.currentTarget.value)}
          placeholder="http://127.0.0.1:5560"
          data-testid="mpin-login-server"
        />
        <datalist id={`${ids.server}-list`}>
          <For each={nodes.nodes()}>{(n) => <option value={n.url}>{n.name}</option>}</For>
        </datalist>
      </Field>
      <Field label="PIN" for={ids.pin}>
        <PinInput id={ids.pin} value={pin()} onInput={setPin} testid="mpin-login-pin" />
      </Field>
      <NodeButton
        type="submit"
        variant="primary"
        busy={run.pending()}
        disabled={!server().trim() || pin().length !== 4}
        data-testid="mpin-login"
      >
        Log in
      </NodeButton>
      <Show when={step()}>{(s) => <Progress label={`${s().what}…`} />}</Show>
      <Show when={outcome()}>
        {(o) => (
          <p
            role="status"
            aria-live="assertive"
            data-testid="mpin-login-result"
            data-accepted={String(o().accepted)}
            class={o().accepted ? 'success' : 'error-note'}
          >
            {o().accepted ? '✓ Logged in: the server accepted your proof.' : refusalText(o())}
            <Show when={o().mismatch}> This server uses other issuing nodes than your registration.</Show>
          </p>
        )}
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </form>
  );
};

export const MpinPage: Component = () => {
  const deps = useFlows();
  const { vault } = useApp();
  const store = createMpinStore(deps);
  const me = () => vault.current()?.cid;
  const refresh = () => {
    const owner = me();
    if (owner) void store.refresh(owner);
  };
  createEffect(refresh);
  return (
    <Page
      title="M-Pin"
      intro="Log in to services with a PIN, without a password database: your login secret is made of shares from several nodes."
    >
      <IdentityGate>
        <Card title="Register">
          <RegisterForm onDone={refresh} />
        </Card>
        <Show
          when={store.registrations().length > 0}
          fallback={
            <p class="muted" data-testid="mpin-none">
              Not registered yet.
            </p>
          }
        >
          <ul class="plain-list stack" data-testid="mpin-registrations">
            <Index each={store.registrations()}>
              {(reg) => (
                <li class="card stack" data-testid="mpin-registration" data-id={reg().id}>
                  <h2>
                    Registration of {formatTime(reg().created)} (enrolment {reg().enrolment ?? 0})
                  </h2>
                  <p class="small">
                    Issued by{' '}
                    {reg()
                      .issuers.map((i) => i.name)
                      .join(', ')}
                    . Only the PIN token is stored on this device.
                  </p>
                  <Show when={reg().lastLogin}>
                    {(l) => (
                      <>
                        <p class="small muted">
                          Last login {formatTime(l().at)} at {l().server}: {l().accepted ? 'accepted' : 'refused'}
                        </p>
                        {/* Why, in words: the form's own outcome line goes when the list is read again. */}
                        <Show when={!l().accepted}>
                          <p class="small" data-testid="mpin-last-refusal">
                            {refusalText(l())}
                          </p>
                        </Show>
                      </>
                    )}
                  </Show>
                  <LoginForm registration={reg()} onDone={refresh} />
                  <Button
                    variant="link"
                    onClick={() => {
                      const o = me();
                      if (o) void store.remove(o, reg().id);
                    }}
                    data-testid="mpin-remove"
                  >
                    Forget this registration
                  </Button>
                </li>
              )}
            </Index>
          </ul>
        </Show>
      </IdentityGate>
    </Page>
  );
};
