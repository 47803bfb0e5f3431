/**
 * Imported by main.tsx ahead of the app's modules, so that its body runs before they are evaluated and the shell
 * renders: the app worker's thread, its script and the wasm's compilation start that much earlier, and run beside
 * the page's own start (bench/app.ts: cold start to interactive). App.tsx's own startApp() call then finds it started.
 * @module
 */
import { startApp } from './boot.ts';

void startApp();
