/** The PWA pieces: the update prompt (registers the service worker), the offline status line, the online hint. @module */

export { OfflineStatus } from './OfflineStatus.tsx';
export { online } from './online.ts';
export { UpdatePrompt } from './UpdatePrompt.tsx';
