/** The PWA pieces: the update prompt (registers the service worker) and the online hint. @module */
export { UpdatePrompt } from './UpdatePrompt.tsx';
export { online } from './online.ts';
