/**
 * What dta QR codes carry: short text with a kind prefix, so that a scanned code is never mistaken for
 * another kind of thing (an identity is "dta:identity:<CID>"). A bare CID is accepted too, as typed or
 * copied, so every QR app's plain-text code works.
 * @module
 */
import { CID } from 'multiformats/cid';
import { QrError } from './errors.ts';

const IDENTITY_PREFIX = 'dta:identity:';

/** The QR text for an identity CID. */
export function identityPayload(cid: string): string {
  return `${IDENTITY_PREFIX}${CID.parse(cid).toString()}`;
}

/** The identity CID in scanned text ("dta:identity:<CID>" or a bare CID); QrError for anything else. */
export function readIdentityPayload(text: string): string {
  const t = text.trim();
  const body = t.startsWith(IDENTITY_PREFIX) ? t.slice(IDENTITY_PREFIX.length) : t;
  if (/^dta:/.test(body)) throw new QrError('this QR code is a dta code of another kind, not an identity');
  try {
    return CID.parse(body).toString();
  } catch {
    throw new QrError('this QR code does not hold a dta identity');
  }
}
