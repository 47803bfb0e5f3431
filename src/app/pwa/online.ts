/**
 * Whether the browser says it is online (reactive). Only a hint one way: some browsers keep saying "online" with no
 * network, so requests still fail and show their own errors; "offline" is believed (buttons that need a node are
 * disabled with "You are offline", ui/NodeButton.tsx).
 * @module
 */
import { createSignal } from 'solid-js';

const [online, setOnline] = createSignal(globalThis.navigator?.onLine ?? true);
globalThis.addEventListener?.('online', () => setOnline(true));
globalThis.addEventListener?.('offline', () => setOnline(false));

export { online };
