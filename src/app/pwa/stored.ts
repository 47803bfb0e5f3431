/**
 * Whether this app is stored on the device (a service worker is active for it), so that it opens without a
 * network. Reactive; set when the browser reports an active worker and when the first install finishes.
 * @module
 */
import { createSignal } from 'solid-js';

const [stored, setStored] = createSignal(false);
void globalThis.navigator?.serviceWorker?.ready.then(
  () => setStored(true),
  () => undefined,
);

/** Called when vite-plugin-pwa reports the first install done ("offline ready"). */
export const markStored = (): void => {
  setStored(true);
};

export { stored };
