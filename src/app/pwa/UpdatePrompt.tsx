/**
 * The service worker's side of the UI: registers it (vite-plugin-pwa, registerType "prompt"), tells the
 * footer's offline status when the first install is done, and when a new version has been deployed offers to
 * reload into it — never reloading by itself, so nothing typed is lost.
 * @module
 */

import { useRegisterSW } from 'virtual:pwa-register/solid';
import { type Component, createEffect, Show } from 'solid-js';
import { markStored } from './stored.ts';

/** How often an open app checks for a new version (the browser also checks on navigation). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export const UpdatePrompt: Component = () => {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), CHECK_EVERY_MS);
    },
    onRegisterError() {
      // No service worker (a private window, http on a non-local host): the app still runs, only not offline.
    },
  });
  createEffect(() => {
    if (offlineReady()) markStored();
  });
  return (
    <Show when={needRefresh()}>
      <div class="toast" role="alertdialog" aria-labelledby="update-title" data-testid="update-prompt">
        <p id="update-title">A new version of the app is available.</p>
        <div class="row">
          <button type="button" class="btn btn-primary" onClick={() => void updateServiceWorker(true)}>
            Reload now
          </button>
          <button type="button" class="btn btn-link" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </div>
      </div>
    </Show>
  );
};
