/**
 * Reaching a PKCS#11 token: the optional native module pkcs11js, imported
 * only when a keystore is configured for a token (a node without it never
 * loads it); the token's library, loaded and initialised once per process
 * and finalised when its last user lets go (C_Initialize and C_Finalize are
 * process-wide, so two sessions in one process must share them); the slot
 * found by the token's label (slot ids change between runs); one logged-in
 * session. Every failure becomes a KeystoreTokenError with a stable code
 * and the CKR_ name, never a PIN or a native stack.
 * @module
 */
import { access, constants } from 'node:fs/promises';
import type { PKCS11 } from 'pkcs11js';
import { KeystoreTokenError, type TokenProblem } from './errors.ts';

export type Pkcs11Lib = typeof import('pkcs11js');
type Handle = Buffer;

interface LoadedLibrary {
  readonly lib: Pkcs11Lib;
  readonly p11: PKCS11;
  users: number;
}

const libraries = new Map<string, Promise<LoadedLibrary>>();

/** The CKR_ name of a pkcs11js error, or undefined for anything else. */
export function ckrOf(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  return /^CKR_[A-Z0-9_]+$/.test(message) ? message : undefined;
}

/** A KeystoreTokenError for `err` thrown while doing `what`, the CKR_ name said plainly. */
export function tokenError(err: unknown, what: string): KeystoreTokenError {
  if (err instanceof KeystoreTokenError) return err;
  const ckr = ckrOf(err) ?? 'an error without a CKR_ code';
  const problem: TokenProblem =
    ckr === 'CKR_PIN_INCORRECT' ? 'pin_incorrect' : ckr === 'CKR_PIN_LOCKED' ? 'pin_locked' : 'token_error';
  const hint =
    problem === 'pin_incorrect'
      ? ': wrong PIN (DTA_PKCS11_PIN or the pin file)'
      : problem === 'pin_locked'
        ? ': the user PIN is locked; the security officer must reset it'
        : '';
  return new KeystoreTokenError(problem, `${what} failed with ${ckr}${hint}`);
}

async function importPkcs11js(): Promise<Pkcs11Lib> {
  try {
    const mod = (await import('pkcs11js')) as Pkcs11Lib & { default?: Pkcs11Lib };
    return mod.default ?? mod;
  } catch {
    throw new KeystoreTokenError(
      'pkcs11_unavailable',
      'the optional module pkcs11js is not installed (npm install pkcs11js; it builds with a C++ toolchain)',
    );
  }
}

async function load(path: string): Promise<LoadedLibrary> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new KeystoreTokenError('module_missing', `no PKCS#11 library at ${path}`);
  }
  const lib = await importPkcs11js();
  const p11 = new lib.PKCS11();
  try {
    p11.load(path);
  } catch {
    throw new KeystoreTokenError('module_failed', `${path} does not load as a PKCS#11 library`);
  }
  try {
    p11.C_Initialize();
  } catch (err) {
    p11.close();
    throw tokenError(err, `initialising ${path}`);
  }
  return { lib, p11, users: 0 };
}

/** The library at `path`, loaded and initialised; pair every call with `releaseLibrary(path)`. */
export async function acquireLibrary(path: string): Promise<{ lib: Pkcs11Lib; p11: PKCS11 }> {
  let pending = libraries.get(path);
  if (!pending) {
    pending = load(path);
    libraries.set(path, pending);
    pending.catch(() => libraries.delete(path));
  }
  const loaded = await pending;
  loaded.users++;
  return loaded;
}

/** Lets go of the library; the last user finalises and unloads it. */
export async function releaseLibrary(path: string): Promise<void> {
  const pending = libraries.get(path);
  if (!pending) return;
  const loaded = await pending;
  if (--loaded.users > 0) return;
  libraries.delete(path);
  try {
    loaded.p11.C_Finalize();
  } finally {
    loaded.p11.close();
  }
}

/** The slot holding the initialised token labelled `label`; the error lists the labels present. */
export function findSlot(lib: Pkcs11Lib, p11: PKCS11, label: string): Handle {
  const present: string[] = [];
  let slots: Handle[];
  try {
    slots = p11.C_GetSlotList(true);
  } catch (err) {
    throw tokenError(err, 'listing the slots');
  }
  for (const slot of slots) {
    const info = p11.C_GetTokenInfo(slot);
    if ((info.flags & lib.CKF_TOKEN_INITIALIZED) === 0) continue;
    const name = info.label.trimEnd();
    if (name === label) return slot;
    present.push(JSON.stringify(name));
  }
  const which = present.length > 0 ? `tokens present: ${present.join(', ')}` : 'no initialised token present';
  throw new KeystoreTokenError('token_not_found', `no token labelled "${label}" (${which})`);
}

/** A read-write session on `slot`, logged in as the user; the PIN bytes are wiped. */
export function openUserSession(lib: Pkcs11Lib, p11: PKCS11, slot: Handle, token: string, pin: Uint8Array): Handle {
  let session: Handle;
  try {
    session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
  } catch (err) {
    pin.fill(0);
    throw tokenError(err, `opening a session on token "${token}"`);
  }
  try {
    // pkcs11js takes the PIN as a string: it lives on in the JS heap until collected (the bytes are wiped).
    p11.C_Login(session, lib.CKU_USER, new TextDecoder().decode(pin));
  } catch (err) {
    if (ckrOf(err) !== 'CKR_USER_ALREADY_LOGGED_IN') {
      p11.C_CloseSession(session);
      throw tokenError(err, `logging in to token "${token}"`);
    }
  } finally {
    pin.fill(0);
  }
  return session;
}
