/**
 * Protecting the unlocked identity with a passkey: register one (its PRF output then derives the key that
 * seals the identity's secrets), or go back to the device key. Explains why when passkeys cannot work here.
 * @module
 */
import { type Component, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, Progress } from '../ui/index.ts';
import { passkeyProblem } from './webauthn.ts';

export const PasskeyPanel: Component = () => {
  const { vault } = useApp();
  const entry = () => vault.active();
  const add = createAction(() => vault.addPasskey());
  const remove = createAction(() => vault.removePasskey());
  const problem = passkeyProblem();
  return (
    <div class="stack" data-testid="passkey-panel">
      <Show
        when={entry()?.protection === 'passkey'}
        fallback={
          <>
            <p>
              Your keys are sealed by a key this browser keeps and cannot export. Add a passkey so that unlocking also
              needs your authenticator (fingerprint, face, PIN or security key).
            </p>
            <Show when={problem}>
              <p class="muted">Passkeys are not available here: {problem}.</p>
            </Show>
            <div class="row">
              <Button variant="primary" busy={add.pending()} disabled={!!problem} onClick={() => void add.run()}>
                Add a passkey
              </Button>
            </div>
          </>
        }
      >
        <p data-testid="passkey-on">
          Protected by a passkey: unlocking needs your authenticator. Keep a backup file too: if the passkey is lost,
          the backup is the only way back.
        </p>
        <div class="row">
          <Button busy={remove.pending()} onClick={() => void remove.run()}>
            Stop using the passkey
          </Button>
        </div>
      </Show>
      <Show when={add.pending()}>
        <Progress label="Follow your browser's passkey prompt…" />
      </Show>
      <Show when={add.error() ?? remove.error()}>
        <ErrorNote
          error={add.error() ?? remove.error()}
          onDismiss={() => {
            add.clear();
            remove.clear();
          }}
        />
      </Show>
    </div>
  );
};
