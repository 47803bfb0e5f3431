// The component suite: Solid components and page stores rendered in happy-dom (no browser), with Solid's
// client build. Kept apart from the Node project because the browser resolve conditions it needs would
// make Node-side packages (libp2p, Helia) load their browser builds. scripts/test-all.sh runs it as
// `components`; the real-browser behaviour of the same screens is the e2e suite's.
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [solid()],
  test: {
    root: new URL('../../', import.meta.url).pathname,
    include: ['test/components/**/*.test.tsx'],
    environment: 'happy-dom',
    setupFiles: ['test/components/setup.ts'],
    maxWorkers: 2,
  },
});
