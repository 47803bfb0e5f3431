/**
 * Unlocking the identity to use: one step for a device-protected identity, the passkey (with its user
 * verification) for a passkey-protected one. Other identities on this device can be chosen instead.
 * @module
 */
import { type Component, createSignal, For, Show } from 'solid-js';
import type { IdentityEntry } from '../../worker/app-worker-client.ts';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, Progress, shortCid } from '../ui/index.ts';

export const UnlockPanel: Component = () => {
  const { vault } = useApp();
  const [chosen, setChosen] = createSignal<string | null>(null);
  const entry = () => vault.state()?.identities.find((e) => e.cid === chosen()) ?? vault.active();
  const unlock = createAction((e: IdentityEntry) => vault.unlock(e));
  const others = () => vault.state()?.identities.filter((e) => e.cid !== entry()?.cid) ?? [];
  return (
    <div class="stack unlock-panel">
      <Show when={entry()}>
        {(e) => (
          <>
            <p>
              <strong>{e().name}</strong>{' '}
              <span class="muted mono" title={e().cid}>
                {shortCid(e().cid)}
              </span>{' '}
              is locked.
            </p>
            <div class="row">
              <Button
                variant="primary"
                busy={unlock.pending()}
                onClick={() => void unlock.run(e())}
                data-testid="unlock"
              >
                {e().protection === 'passkey' ? 'Unlock with passkey' : 'Unlock'}
              </Button>
            </div>
            <Show when={unlock.pending()}>
              <Progress label={e().protection === 'passkey' ? 'Waiting for your passkey…' : 'Unlocking…'} />
            </Show>
            <Show when={unlock.error()}>
              <ErrorNote error={unlock.error()} onDismiss={unlock.clear} />
            </Show>
          </>
        )}
      </Show>
      <Show when={others().length > 0}>
        <details>
          <summary>Use another identity</summary>
          <ul class="plain-list">
            <For each={others()}>
              {(o) => (
                <li>
                  <button
                    type="button"
                    class="btn btn-link"
                    onClick={() => {
                      unlock.clear();
                      setChosen(o.cid);
                    }}
                  >
                    {o.name} <span class="muted mono">{shortCid(o.cid)}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </div>
  );
};
