// Vite configuration shared by the app (`npm run dev`, `npm run build` to dist/), the browser tests and the
// preview server. The app is a Solid PWA: vite-plugin-solid compiles the JSX, vite-plugin-pwa writes the web
// manifest and a Workbox service worker that precaches the whole build, wasm/dta.wasm included, so that the
// app starts, unlocks and shows stored data offline.
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { buildIntegrity } from './scripts/build-integrity.ts';
import { startPreloads } from './scripts/start-preloads.ts';

/** Paths the node serves itself (HTTP API, discovery, OpenAPI): the service worker must never answer them. */
const NODE_PATHS = [/^\/v1(\/|$)/, /^\/\.well-known\//, /^\/openapi\.json$/];

/** Subresource Integrity in the precache manifest, and build-hash.json written last (scripts/build-integrity.ts). */
const integrity = buildIntegrity();

/** index.html fetches the app worker's script, first chunks and wasm at once (scripts/start-preloads.ts). */
const preloads = startPreloads();

/** A shortcut's 96x96 icon in public/icons/ (scripts/make-screenshots.ts draws them). */
const shortcutIcon = (name: string) => ({ src: `icons/shortcut-${name}.png`, sizes: '96x96', type: 'image/png' });

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      // 'prompt': a new version waits until the user accepts it (src/app/pwa/UpdatePrompt.tsx).
      registerType: 'prompt',
      injectRegister: false, // src/app/pwa registers it through virtual:pwa-register/solid
      manifest: {
        id: './',
        name: 'dta — decentralized trust authority',
        short_name: 'dta',
        description: 'Keep identity keys on this device, order and retrieve safeguarded secrets, log in with M-Pin.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#1d4f91',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Chromium's richer install dialog: one picture per form factor (scripts/make-screenshots.ts makes them).
        screenshots: [
          {
            src: 'screenshots/narrow.png',
            sizes: '390x844',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'Your orders on a phone',
          },
          {
            src: 'screenshots/wide.png',
            sizes: '1280x800',
            type: 'image/png',
            form_factor: 'wide',
            label: 'An order and its verified history on a desktop',
          },
        ],
        // Long-press or right-click on the installed app's icon: straight to these screens.
        shortcuts: [
          { name: 'New order', short_name: 'New order', url: './#/orders/new', icons: [shortcutIcon('new')] },
          { name: 'Orders', short_name: 'Orders', url: './#/orders', icons: [shortcutIcon('orders')] },
          { name: 'Identity', short_name: 'Identity', url: './#/keys', icons: [shortcutIcon('identity')] },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,ico,webmanifest}'],
        // The in-browser Helia chunk is about 1.4 MB; leave room above Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: NODE_PATHS,
        cleanupOutdatedCaches: true,
        // An update installs only with the user's consent for its build hash (public/sw-consent.js).
        importScripts: ['sw-consent.js'],
        manifestTransforms: [integrity.manifestTransform],
      },
    }),
    integrity.plugin,
    preloads.page,
  ],
  // The core runs in a module worker (src/worker/app-worker.ts, core-worker.ts), so worker chunks are ES modules.
  worker: { format: 'es', plugins: () => [preloads.worker] },
  build: {
    // Never inline wasm/dta.wasm as a data: URL: it must stay a real, cacheable asset file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  // Loopback only: nothing here is meant to be reachable from another machine.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
