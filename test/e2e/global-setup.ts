/**
 * Builds the app once for the whole e2e run (a production build with the project's vite.config.ts, PWA plugin and
 * service worker included) into a temp directory, and hands its path to the test files (`inject('appDir')`).
 * The directory is removed when the run ends, and so is the one holding every node home of the run.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from './app-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built app (index.html, assets/, sw.js, manifest). */
    appDir: string;
    /** How long the build took, in ms (the app bench reports it too). */
    appBuildMs: number;
    /** The directory under which the run's node homes are made (nodes.ts), removed at the end. */
    homesRoot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'dta-e2e-app-'));
  const t0 = performance.now();
  try {
    await buildApp(dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const homes = await mkdtemp(join(tmpdir(), 'dta-e2e-homes-'));
  project.provide('appDir', dir);
  project.provide('appBuildMs', Math.round(performance.now() - t0));
  project.provide('homesRoot', homes);
  return async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(homes, { recursive: true, force: true });
  };
}
