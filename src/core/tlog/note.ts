/**
 * C2SP signed notes (the Go `sumdb/note` format): a text ending in a
 * newline, a blank line, then one line per signature,
 * `— <name> base64(keyId ‖ signature)`. Checkpoints travel in them, and
 * witnesses add their cosignature lines to them.
 *
 * Opening follows the reference implementation: the whole note must be
 * valid UTF-8 without control characters other than newline, at most 100
 * signature lines; a line from an unknown (name, key ID) is kept aside as
 * unverified; a line from a known key must verify or the note is refused;
 * and at least one known key must have signed. Verifier keys are the text
 * `<name>+<hex key ID>+base64(type ‖ public key)`; type 0x01 is Ed25519,
 * 0x04 an Ed25519 witness cosignature key (cosignature.ts).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, fromBase64, toBase64, utf8, wipe } from '../bytes.ts';
import { cosignatureVerifier } from './cosignature.ts';
import { TlogError } from './errors.ts';
import {
  ALG_COSIGNATURE_V1,
  ALG_ED25519,
  checkEd25519PublicKey,
  checkKeyName,
  ed25519SecretKey,
  hasControl,
  isKeyName,
  isWellFormed,
  keyIdOf,
  verifierKeyText,
} from './keys.ts';

/** Signs note texts under a key name. `sign` gets the UTF-8 text and returns the bare signature. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Checks one signature line's bytes (after the key ID) over the UTF-8 note text. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** One signature line: its key name, key ID and the signature bytes after the ID. */
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

/** A note whose known signatures all verified: its text, those signatures, and the lines from unknown keys. */
export interface OpenedNote {
  text: string;
  verified: NoteSignature[];
  unverified: NoteSignature[];
}

/** Most signature lines a note may carry (as Go's sumdb/note); witnesses add one line each. */
export const MAX_SIGNATURES = 100;
/** Most bytes a note may have: a checkpoint with 100 cosignatures is under 16 kB. */
const MAX_NOTE_BYTES = 1 << 20;

const SIGNATURE_LINE_PREFIX = '— ';

/** Signs `text` (UTF-8, no control characters but newlines, ending in a newline) with every signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text, 'note text');
  if (!text.endsWith('\n')) throw new TlogError('malformed', 'note text: must end with a newline');
  if (signers.length === 0) throw new TlogError('malformed', 'note: at least one signer');
  const message = utf8(text);
  const lines = signers.map((s) => {
    checkKeyName(s.name);
    return signatureLine({ name: s.name, keyId: s.keyId, signature: s.sign(message) });
  });
  return `${text}\n${lines.join('')}`;
}

/** Parses and verifies a note against `verifiers`; throws TlogError ('malformed', 'bad_signature', 'unknown_key'). */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of signatures) {
    const key = `${sig.name}+${sig.keyId}`;
    const verifier = findVerifier(verifiers, sig.name, sig.keyId);
    // A repeated line (known or not) says nothing new; the reference implementation drops it.
    const line = verifier ? key : signatureLine(sig);
    if (seen.has(line)) continue;
    seen.add(line);
    if (!verifier) {
      unverified.push(sig);
    } else if (verifier.verify(message, sig.signature)) {
      verified.push(sig);
    } else {
      throw new TlogError('bad_signature', `note: the signature of ${sig.name} does not verify`);
    }
  }
  if (verified.length === 0) throw new TlogError('unknown_key', 'note: no signature from a known key');
  return { text, verified, unverified };
}

/** The text and signature lines of a note, checked for form only (nothing verified). */
export function parseNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  const whole = noteText(note);
  const split = whole.lastIndexOf('\n\n');
  if (split < 0) throw new TlogError('malformed', 'note: no blank line before the signatures');
  const lines = whole.slice(split + 2);
  if (lines === '' || !lines.endsWith('\n')) throw new TlogError('malformed', 'note: no signature lines');
  const signatures = lines.slice(0, -1).split('\n');
  if (signatures.length > MAX_SIGNATURES) throw new TlogError('malformed', `note: over ${MAX_SIGNATURES} signatures`);
  return { text: whole.slice(0, split + 1), signatures: signatures.map(parseSignatureLine) };
}

/** `note` with the lines of `signatures` appended, skipping lines it already has. */
export function addSignatures(note: string, signatures: readonly NoteSignature[]): string {
  const parsed = parseNote(note);
  const present = new Set(parsed.signatures.map(signatureLine));
  let out = note;
  let count = parsed.signatures.length;
  for (const sig of signatures) {
    checkKeyName(sig.name);
    const line = signatureLine(sig);
    if (present.has(line)) continue;
    if (++count > MAX_SIGNATURES) throw new TlogError('malformed', `note: over ${MAX_SIGNATURES} signatures`);
    present.add(line);
    out += line;
  }
  return out;
}

/** Signature lines on their own (`— <name> base64(keyId ‖ signature)\n` each), as a witness's reply carries them. */
export function formatSignatureLines(signatures: readonly NoteSignature[]): string {
  return signatures
    .map((sig) => {
      checkKeyName(sig.name);
      return signatureLine(sig);
    })
    .join('');
}

/** The verifier key text of an Ed25519 note key: `name+keyId+base64(0x01 ‖ publicKey)`. */
export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  return verifierKeyText(name, ALG_ED25519, checkEd25519PublicKey(publicKey));
}

/** The verifier of a verifier key text (Ed25519 0x01, cosignature/v1 0x04); throws TlogError('malformed'). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name = '', id = '', key = ''] = splitVerifierKey(vkey);
  const bytes = decodeBase64(key, 'verifier key');
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/i.test(id) || bytes.length === 0) {
    throw new TlogError('malformed', 'verifier key: expected name+keyid+base64(type ‖ key)');
  }
  const alg = bytes[0] as number;
  const publicKey = bytes.subarray(1);
  if (keyIdOf(name, alg, publicKey) !== Number.parseInt(id, 16)) {
    throw new TlogError('malformed', 'verifier key: the key ID does not match the key');
  }
  if (alg === ALG_ED25519) return ed25519Verifier(name, checkEd25519PublicKey(publicKey));
  if (alg === ALG_COSIGNATURE_V1) return cosignatureVerifier(name, checkEd25519PublicKey(publicKey));
  throw new TlogError('malformed', `verifier key: unknown signature type ${alg}`);
}

/** An Ed25519 note signer. Keeps its own copy of the 32-byte secret key until `wipe()`. */
export function ed25519Signer(name: string, secretKey: Uint8Array): NoteSigner & { wipe(): void } {
  checkKeyName(name);
  const key = ed25519SecretKey(secretKey);
  const keyId = keyIdOf(name, ALG_ED25519, ed25519.getPublicKey(key));
  let wiped = false;
  return {
    name,
    keyId,
    sign(message) {
      if (wiped) throw new TlogError('malformed', 'note signer: the key was wiped');
      return ed25519.sign(message, key);
    },
    wipe() {
      wiped = true;
      wipe(key);
    },
  };
}

function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = publicKey.slice();
  return {
    name,
    keyId: keyIdOf(name, ALG_ED25519, key),
    verify: (message, signature) =>
      signature.length === 64 && ed25519.verify(signature, message, key, { zip215: false }),
  };
}

function findVerifier(verifiers: readonly NoteVerifier[], name: string, keyId: number): NoteVerifier | undefined {
  const matches = verifiers.filter((v) => v.name === name && v.keyId === keyId);
  if (matches.length > 1) throw new TlogError('malformed', `note: two verifiers for the key ${name}`);
  return matches[0];
}

function signatureLine(sig: NoteSignature): string {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, sig.keyId, false);
  return `${SIGNATURE_LINE_PREFIX}${sig.name} ${toBase64(concat(id, sig.signature))}\n`;
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) throw new TlogError('malformed', 'note: a line is not a signature');
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? '' : rest.slice(0, space);
  const bytes = decodeBase64(rest.slice(space + 1), 'note signature');
  if (!isKeyName(name) || bytes.length < 5) throw new TlogError('malformed', 'note: bad signature line');
  const keyId = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false);
  return { name, keyId, signature: bytes.slice(4) };
}

function noteText(note: string | Uint8Array): string {
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_BYTES) throw new TlogError('malformed', 'note: too large');
    try {
      note = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
    } catch {
      throw new TlogError('malformed', 'note: not UTF-8');
    }
  }
  if (typeof note !== 'string' || note.length > MAX_NOTE_BYTES) throw new TlogError('malformed', 'note: too large');
  checkText(note, 'note');
  return note;
}

function checkText(text: string, what: string): void {
  if (!isWellFormed(text) || hasControl(text)) {
    throw new TlogError('malformed', `${what}: not UTF-8, or holds a control character other than newline`);
  }
}

function splitVerifierKey(vkey: string): string[] {
  if (typeof vkey !== 'string') return [];
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return [];
  return [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
}

function decodeBase64(text: string, what: string): Uint8Array {
  try {
    return fromBase64(text, what);
  } catch {
    throw new TlogError('malformed', `${what}: expected standard base64`);
  }
}
