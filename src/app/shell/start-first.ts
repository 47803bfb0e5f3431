/**
 * Imported by main.tsx ahead of the app's modules, so that its body runs before they are evaluated and the shell
 * renders. In a build, index.html's first script has spawned the app worker already, before this module graph had
 * even arrived (scripts/early-worker.ts): startApp() adopts it and listens for its start. Without that script (the
 * dev server, or its load failed) startApp() spawns the worker here, still before the app's other modules run.
 * App.tsx's own startApp() call then finds it started.
 * @module
 */
import { startApp } from './boot.ts';

// When the page's modules begin to run (bench/app.ts, test/e2e/cold-start.e2e.ts: the worker spawned before).
performance.mark('dta:page-modules');
void startApp();
