/**
 * Imported first by main.tsx, so that its body runs before the page's other modules are evaluated and the shell
 * renders: the app worker's thread, its script and the wasm's compilation start that much earlier, and run beside
 * the page's own start (bench/app.ts: cold start to interactive). App.tsx's own startApp() call then finds it started.
 * @module
 */
import { startApp } from './boot.ts';

void startApp();
