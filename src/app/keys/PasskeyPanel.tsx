/**
 * Protecting the unlocked identity with a passkey: register one (its PRF output then derives the key that
 * seals the identity's secrets; the device key and the old record are deleted), or go back to a device key
 * after a fresh passkey check. Says what an earlier copy of the browser's files may still hold, and why
 * passkeys cannot work here when they cannot.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, Progress } from '../ui/index.ts';
import { passkeyProblem } from './webauthn.ts';

export const PasskeyPanel: Component = () => {
  const { vault } = useApp();
  const entry = () => vault.active();
  const [added, setAdded] = createSignal(false);
  const add = createAction(async () => {
    await vault.addPasskey();
    setAdded(true);
  });
  const remove = createAction(async () => {
    await vault.removePasskey();
    setAdded(false);
  });
  const problem = passkeyProblem();
  return (
    <div class="stack" data-testid="passkey-panel">
      <Show
        when={entry()?.protection === 'passkey'}
        fallback={
          <>
            <p>
              Your keys are sealed by a key this browser keeps in its files: anyone with a copy of those files can open
              them. Add a passkey so that unlocking needs your authenticator (fingerprint, face, PIN or security key);
              the device key is then deleted.
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
        <Show when={added()}>
          <p class="vault-warning" role="status" data-testid="passkey-earlier-copies">
            The device key and the keys it sealed are deleted from this browser's files. A copy of those files made
            before now (a disk or system backup, a copied or synced browser profile) still holds them, and opens this
            identity without the passkey: delete such copies, or move to a new identity if one may have been taken.
          </p>
        </Show>
        <div class="row">
          <Button busy={remove.pending()} onClick={() => void remove.run()}>
            Stop using the passkey
          </Button>
        </div>
        <p class="muted small">Stopping asks your passkey once more, then seals the keys under a new device key.</p>
      </Show>
      <Show when={add.pending() || remove.pending()}>
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
