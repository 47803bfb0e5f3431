/**
 * The service worker's side of the UI: registers it (vite-plugin-pwa, registerType "prompt"), tells the
 * footer's offline status when the first install is done, and offers a new version when the server has one.
 *
 * No silent update: the page itself asks the server which build it offers (build-check.ts); when that is not the
 * running one, a visible prompt names the new build's hash, so the person can compare it with the one published
 * for the release. Only "Install and reload" records consent for that hash, and only then can the new service
 * worker install (public/sw-consent.js refuses it otherwise), so closing the tab without answering keeps the
 * running version. The page never reloads by itself, so nothing typed is lost.
 * @module
 */

import { useRegisterSW } from 'virtual:pwa-register/solid';
import { type Component, createEffect, createSignal, Show } from 'solid-js';
import { Button, createAction, ErrorNote } from '../ui/index.ts';
import { acceptBuild, offeredBuild, runningBuild } from './build-check.ts';
import { installAcceptedUpdate } from './install-update.ts';
import { markStored } from './stored.ts';
import '../ui/text-wrap.css';

/** How often an open app asks whether the server offers another build. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export const UpdatePrompt: Component = () => {
  const [offer, setOffer] = createSignal<string | null>(null);
  const [declined, setDeclined] = createSignal<string | null>(null);
  let registration: ServiceWorkerRegistration | undefined;

  const check = async () => {
    if (!registration?.active || !navigator.serviceWorker.controller) return; // a first visit: nothing to replace
    const [running, offered] = await Promise.all([runningBuild(), offeredBuild()]);
    if (offered !== null && offered !== running && offered !== declined()) setOffer(offered);
  };
  const {
    offlineReady: [offlineReady],
  } = useRegisterSW({
    immediate: true,
    onRegisteredSW(_url, reg) {
      if (!reg) return;
      registration = reg;
      void navigator.serviceWorker.ready.then(check).catch(() => undefined);
      setInterval(() => void check().catch(() => undefined), CHECK_EVERY_MS);
    },
    onRegisterError() {
      // No service worker (a private window, http on a non-local host): the app still runs, only not offline.
    },
  });
  createEffect(() => {
    if (offlineReady()) markStored();
  });
  const install = createAction(async (hash: string) => {
    if (!registration) throw new Error('the app is not installed on this device: reload the page instead');
    await acceptBuild(registration, hash);
    await installAcceptedUpdate(registration);
  });
  return (
    <Show when={offer()}>
      {(hash) => (
        <div class="toast" role="alertdialog" aria-labelledby="update-title" data-testid="update-prompt">
          <p id="update-title">A new version of the app is available.</p>
          <p class="small">
            Its build hash is{' '}
            <code class="wrap-anywhere" data-testid="update-build-hash">
              {hash()}
            </code>
            . Install it only if this is the hash published for a release you trust (README, "Checking the app you
            run").
          </p>
          <Show when={install.error()}>
            <ErrorNote error={install.error()} onDismiss={install.clear} />
          </Show>
          <div class="row">
            <Button variant="primary" busy={install.pending()} onClick={() => void install.run(hash())}>
              Install and reload
            </Button>
            <button
              type="button"
              class="btn btn-link"
              onClick={() => {
                setDeclined(hash());
                setOffer(null);
              }}
            >
              Later
            </button>
          </div>
        </div>
      )}
    </Show>
  );
};
