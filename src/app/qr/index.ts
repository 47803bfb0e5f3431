/** QR codes: show one (QrCode), read one with the camera or from an image (QrScan), and what dta codes carry. @module */
export { QrCode } from './QrCode.tsx';
export { QrScan, type QrScanProps } from './QrScan.tsx';
export { QrError } from './errors.ts';
export { identityPayload, readIdentityPayload, IDENTITY_PREFIX } from './payload.ts';
