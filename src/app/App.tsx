/** The app: starts the worker (core + vault) and renders the shell, which shows progress until it is up. @module */
import type { Component } from 'solid-js';
import { startApp } from './shell/boot.ts';
import { Shell } from './shell/Shell.tsx';

export const App: Component = () => {
  // Started before the shell renders rather than after it mounts: the worker's script and the wasm are fetched
  // and compiled while the page lays out its first paint (cold start to interactive, npm run bench).
  void startApp();
  return <Shell />;
};
