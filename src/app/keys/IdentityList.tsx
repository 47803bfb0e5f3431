/** Every identity on this device, with a way to remove one (after a confirmation naming it). @module */
import { type Component, createSignal, For, Show } from 'solid-js';
import type { IdentityEntry } from '../../worker/app-worker-client.ts';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, formatTime, shortCid } from '../ui/index.ts';

export const IdentityList: Component = () => {
  const { vault } = useApp();
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const remove = createAction(async (e: IdentityEntry) => {
    await vault.remove(e.cid);
    setConfirming(null);
  });
  return (
    <div class="stack">
      <ul class="plain-list identity-list">
        <For each={vault.state()?.identities ?? []}>
          {(e) => (
            <li class="identity-item">
              <div>
                <strong>{e.name}</strong>{' '}
                <span class="muted mono" title={e.cid}>
                  {shortCid(e.cid)}
                </span>
                <div class="muted small">
                  added {formatTime(e.added)} · {e.protection === 'passkey' ? 'passkey' : 'device key'}
                  {vault.state()?.unlocked === e.cid ? ' · unlocked' : ''}
                </div>
              </div>
              <Show
                when={confirming() === e.cid}
                fallback={
                  <Button variant="link" onClick={() => setConfirming(e.cid)}>
                    Remove…
                  </Button>
                }
              >
                {/* biome-ignore lint/a11y/useSemanticElements: a confirmation inside a list item, not a form's fieldset */}
                <div class="confirm" role="group" aria-label={`Remove ${e.name}`}>
                  <p>
                    Remove <strong>{e.name}</strong> from this device? Without a backup its keys are gone for good.
                  </p>
                  <div class="row">
                    <Button variant="danger" busy={remove.pending()} onClick={() => void remove.run(e)}>
                      Remove
                    </Button>
                    <Button variant="link" onClick={() => setConfirming(null)}>
                      Keep it
                    </Button>
                  </div>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={remove.error()}>
        <ErrorNote error={remove.error()} onDismiss={remove.clear} />
      </Show>
    </div>
  );
};
