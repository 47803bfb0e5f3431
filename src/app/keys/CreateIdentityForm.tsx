/**
 * Creating an identity: a name, and what seals its keys on this device. A passkey is offered first (and chosen
 * when the browser reports an authenticator that can do it), so the keys are never sealed under a device key; the
 * device key only when the person chooses it or the authenticator cannot (no PRF). @module
 */
import { type Component, createSignal, onMount, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import { Button, createAction, ErrorNote, Field, fieldId, Progress } from '../ui/index.ts';
import { passkeyByDefault, passkeyProblem } from './webauthn.ts';

type Protection = 'passkey' | 'device';

export const CreateIdentityForm: Component<{ readonly onCreated?: () => void }> = (props) => {
  const { vault } = useApp();
  const [name, setName] = createSignal('');
  const problem = passkeyProblem();
  const [protection, setProtection] = createSignal<Protection>('device');
  // Chosen for the person only once: a choice they made is never overridden.
  let chosen = false;
  onMount(() => {
    void passkeyByDefault().then((yes) => {
      if (yes && !chosen) setProtection('passkey');
    });
  });
  const choose = (p: Protection) => {
    chosen = true;
    setProtection(p);
  };
  const id = fieldId('identity-name');
  const create = createAction(async () => {
    await vault.create(name(), protection() === 'passkey');
    setName('');
    props.onCreated?.();
  });
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
      aria-label="Create an identity"
    >
      <Field
        label="Name"
        for={id}
        hint="Shown to the nodes and people you deal with. Your keys are generated here and never leave this device."
      >
        <input
          id={id}
          name="name"
          autocomplete="nickname"
          required
          maxlength={128}
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-describedby={`${id}-hint`}
        />
      </Field>
      <fieldset class="stack" data-testid="identity-protection">
        <legend>Protect the keys with</legend>
        <label>
          <input
            type="radio"
            name="protection"
            value="passkey"
            disabled={!!problem}
            checked={protection() === 'passkey'}
            onChange={() => choose('passkey')}
          />{' '}
          A passkey (recommended): unlocking needs your fingerprint, face, PIN or security key
        </label>
        <label>
          <input
            type="radio"
            name="protection"
            value="device"
            checked={protection() === 'device'}
            onChange={() => choose('device')}
          />{' '}
          This browser only: anyone with a copy of this browser's files can open the keys
        </label>
        <Show when={problem}>
          <p class="muted">Passkeys are not available here: {problem}.</p>
        </Show>
      </fieldset>
      <div class="row">
        <Button type="submit" variant="primary" busy={create.pending()} disabled={!name().trim()}>
          Create identity
        </Button>
        <a class="btn btn-link" href={href('/keys/import')}>
          Import a backup instead
        </a>
      </div>
      <Show when={create.pending()}>
        <Progress
          label={
            protection() === 'passkey'
              ? "Follow your browser's passkey prompt, then the keys are generated…"
              : 'Generating keys (BLS12-381, X-Wing) and signing the identity document…'
          }
        />
      </Show>
      <Show when={create.error()}>
        <ErrorNote error={create.error()} onDismiss={create.clear} />
      </Show>
    </form>
  );
};
