/** QR codes: show one (QrCode), read one with the camera or from an image (QrScan), and what dta codes carry. @module */
import { lazy } from 'solid-js';

/** Drawn by a module loaded when a code is first shown (the encoder is not needed to start the app). */
export const QrCode = lazy(() => import('./QrCode.tsx').then((m) => ({ default: m.QrCode })));
export { identityPayload, readIdentityPayload } from './payload.ts';
export { QrScan, type QrScanProps } from './QrScan.tsx';
