/**
 * Whether the browser says it is online (reactive). Only a hint: some browsers keep saying "online" with no
 * network, so nothing may depend on it — requests still fail and show their own errors.
 * @module
 */
import { createSignal } from 'solid-js';

const [online, setOnline] = createSignal(globalThis.navigator?.onLine ?? true);
globalThis.addEventListener?.('online', () => setOnline(true));
globalThis.addEventListener?.('offline', () => setOnline(false));

export { online };
