/** Creating an identity: a name, and what seals its keys on this device (ProtectionChoice: a passkey first). @module */
import { type Component, createSignal, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import { Button, createAction, ErrorNote, Field, fieldId, Progress } from '../ui/index.ts';
import { createProtection, ProtectionChoice } from './ProtectionChoice.tsx';

export const CreateIdentityForm: Component<{ readonly onCreated?: () => void }> = (props) => {
  const { vault } = useApp();
  const [name, setName] = createSignal('');
  const protection = createProtection();
  const id = fieldId('identity-name');
  const create = createAction(async () => {
    await vault.create(name(), protection.value() === 'passkey');
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
      <ProtectionChoice state={protection} />
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
            protection.value() === 'passkey'
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
