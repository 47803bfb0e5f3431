// Vite configuration shared by the app, the browser tests and the preview server.
import { defineConfig } from 'vite';

export default defineConfig({
  // The core runs in a module worker (src/worker/core-worker.ts), so worker chunks are ES modules.
  worker: { format: 'es' },
  build: {
    // Never inline wasm/dta.wasm as a data: URL: it must stay a real, cacheable asset file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  // Loopback only: nothing here is meant to be reachable from another machine.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
