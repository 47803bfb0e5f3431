/**
 * The random values of one sign-in (RFC 7636, OpenID Connect Core 3.1.2.1): the PKCE code verifier with its S256
 * challenge, and the `state` that ties the provider's answer to the sign-in this app started. All come from
 * crypto.getRandomValues; the verifier is 43 characters of base64url (32 bytes), the shortest RFC 7636 allows.
 * @module
 */
import { toBase64Url } from '../../core/bytes.ts';

const VERIFIER_BYTES = 32;
const STATE_BYTES = 16;

function randomText(length: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(length)));
}

export interface Pkce {
  /** Kept until the code is exchanged: the provider hands out the token only to whoever shows it. */
  readonly verifier: string;
  /** base64url(SHA-256(verifier)), sent with the authorization request. */
  readonly challenge: string;
}

/** A fresh PKCE pair (S256). */
export async function newPkce(): Promise<Pkce> {
  const verifier = randomText(VERIFIER_BYTES);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}

/** A fresh `state`: the provider's answer must carry it back, or it is not the answer to our request. */
export function newState(): string {
  return randomText(STATE_BYTES);
}
