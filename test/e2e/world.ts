/**
 * What every e2e file starts with: the app built by global-setup.ts served on localhost, and one Chromium.
 * Nodes are started by each file (nodes.ts) with the app's origin in their CORS list.
 * @module
 */
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { type AppServer, serveApp } from './app-build.ts';
import { launchChromium } from './browser.ts';
import { Cleanup } from './limits.ts';
import { setNodeHomesRoot } from './nodes.ts';

export interface World {
  readonly cleanup: Cleanup;
  readonly app: AppServer;
  readonly browser: Browser;
}

/** Serves the built app and launches Chromium; on failure, undoes what was started and throws. */
export async function startWorld(): Promise<World> {
  const cleanup = new Cleanup();
  setNodeHomesRoot(inject('homesRoot'));
  try {
    const app = await serveApp(inject('appDir'));
    cleanup.add('the app server', () => app.close());
    const browser = await launchChromium(cleanup);
    return { cleanup, app, browser };
  } catch (e) {
    await cleanup.run();
    throw e;
  }
}
