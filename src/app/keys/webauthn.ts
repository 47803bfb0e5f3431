/**
 * The page's side of passkeys (WebAuthn only exists on the page, not in workers): create a credential with
 * the PRF extension, and ask the authenticator for the PRF output of a salt. The output (32 bytes) goes
 * straight to the worker, which derives the wrapping key from it; the page wipes its copy after the call.
 * There is no server: the credential only ever serves this device's vault, so challenges are random bytes
 * nobody checks, and user verification (PIN, fingerprint) is what guards the PRF.
 * https://w3c.github.io/webauthn/#prf-extension
 * @module
 */
import type { PasskeyEnrolment, PasskeyInfo } from '../../worker/app-worker-client.ts';

/** Passkeys are not available here, or the authenticator cannot do what the vault needs. */
class PasskeyError extends Error {
  override name = 'PasskeyError';
}

const TIMEOUT_MS = 120_000;
const random = (n: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(n));

/** Why passkeys cannot work on this page, or null when they may. */
export function passkeyProblem(): string | null {
  if (typeof PublicKeyCredential === 'undefined' || !navigator.credentials)
    return 'this browser has no passkey support';
  if (!globalThis.isSecureContext) return 'passkeys need https, or http://localhost';
  const host = location.hostname;
  if (/^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')) {
    return `passkeys need a host name, not an IP address: open the app at ${location.protocol}//localhost${location.port ? `:${location.port}` : ''}/`;
  }
  return null;
}

/**
 * Whether to offer a passkey first when an identity is created: passkeys can work here, and the browser reports
 * a platform authenticator with user verification (and, where it says, the PRF extension). A security key may
 * still work when this says no; the person can choose it.
 */
export async function passkeyByDefault(): Promise<boolean> {
  if (passkeyProblem()) return false;
  try {
    const capabilities = await PublicKeyCredential.getClientCapabilities?.();
    if (capabilities && capabilities['extension:prf'] === false) return false;
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

function check(): void {
  const problem = passkeyProblem();
  if (problem) throw new PasskeyError(problem);
}

function prfFirst(credential: PublicKeyCredential): Uint8Array | null {
  const first = credential.getClientExtensionResults().prf?.results?.first;
  if (!first) return null;
  return first instanceof ArrayBuffer
    ? new Uint8Array(first)
    : new Uint8Array(first.buffer, first.byteOffset, first.byteLength).slice();
}

/** The PRF output of `passkey.salt` from the authenticator holding `passkey.credentialId` (asks for user verification). */
export async function evaluatePrf(passkey: PasskeyInfo, signal?: AbortSignal): Promise<Uint8Array> {
  check();
  const credential = (await navigator.credentials.get({
    publicKey: {
      rpId: passkey.rpId,
      challenge: random(32),
      allowCredentials: [{ type: 'public-key', id: new Uint8Array(passkey.credentialId) }],
      userVerification: 'required',
      timeout: TIMEOUT_MS,
      extensions: { prf: { eval: { first: new Uint8Array(passkey.salt) } } },
    },
    ...(signal ? { signal } : {}),
  })) as PublicKeyCredential | null;
  if (!credential) throw new PasskeyError('the authenticator gave no answer');
  const out = prfFirst(credential);
  if (!out)
    throw new PasskeyError('the authenticator did not return a PRF result (it may not support the PRF extension)');
  return out;
}

/**
 * Registers a new passkey for the identity `name` and gets its PRF output for a fresh salt: what
 * vault.addPasskey needs. Authenticators that evaluate the PRF at creation save a second prompt.
 */
export async function registerPasskey(
  name: string,
  userId: Uint8Array,
  signal?: AbortSignal,
): Promise<PasskeyEnrolment> {
  check();
  const rpId = location.hostname;
  const salt = random(32);
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { id: rpId, name: 'dta' },
      user: { id: new Uint8Array(userId), name, displayName: name },
      challenge: random(32),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -8 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      attestation: 'none',
      timeout: TIMEOUT_MS,
      extensions: { prf: { eval: { first: salt } } },
    },
    ...(signal ? { signal } : {}),
  })) as PublicKeyCredential | null;
  if (!credential) throw new PasskeyError('the authenticator created no passkey');
  if (credential.getClientExtensionResults().prf?.enabled === false) {
    throw new PasskeyError('this authenticator does not support the PRF extension, so it cannot protect keys');
  }
  const passkey: PasskeyInfo = { credentialId: new Uint8Array(credential.rawId), rpId, salt };
  const prf = prfFirst(credential) ?? (await evaluatePrf(passkey, signal));
  return { ...passkey, prf };
}
