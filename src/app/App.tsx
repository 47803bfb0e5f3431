/** The app: starts the worker (core + vault) and renders the shell, which shows progress until it is up. @module */
import { type Component, onMount } from 'solid-js';
import { startApp } from './shell/boot.ts';
import { Shell } from './shell/Shell.tsx';

export const App: Component = () => {
  onMount(() => void startApp());
  return <Shell />;
};
