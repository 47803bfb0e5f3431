// C2SP signed notes against the Go reference implementation's cases (golang/mod sumdb/note): signing gives the
// exact note, every case's verified/unverified/error, bad verifier keys refused; plus the strict parsing rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../src/core/bytes.ts';
import {
  addSignatures,
  ed25519Signer,
  ed25519VerifierKey,
  formatSignatureLines,
  MAX_SIGNATURES,
  type NoteVerifier,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
} from '../../src/core/tlog/note.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';

interface GoNote {
  verifierKeys: Record<string, string>;
  signerKey: Record<string, string>;
  text: string;
  signedByPeter: string;
  badVerifierKeys: string[];
  cases: {
    note: string;
    verifiers: string[];
    want: { verified: string[]; unverified: string[] } | { error: string };
  }[];
}

const suite = haveVectors ? describe : describe.skip;
const go: GoNote = haveVectors
  ? JSON.parse(readFileSync(join(VECTORS, 'signed-note', 'go-note.json'), 'utf8'))
  : { verifierKeys: {}, signerKey: {}, text: '', signedByPeter: '', badVerifierKeys: [], cases: [] };

// Go's private key text: PRIVATE+KEY+<name>+<hex id>+base64(0x01 ‖ 32-byte seed).
function goSigner(skey: string) {
  const [, , name = '', , ...key] = skey.split('+');
  const bytes = fromBase64(key.join('+')); // base64 has its own '+'
  expect(bytes[0]).toBe(0x01);
  const seed = bytes.slice(1);
  const signer = ed25519Signer(name, seed);
  seed.fill(0); // the signer keeps its own copy
  return { signer, publicKey: ed25519.getPublicKey(bytes.slice(1)) };
}

// The Go test names the error; ours is the code that means it.
const GO_ERRORS: Record<string, string> = {
  'malformed note': 'malformed',
  'invalid signature': 'bad_signature',
  'no verifiable signatures': 'unknown_key',
};

suite('signed-note vectors (golang/mod sumdb/note)', () => {
  it('signing the text with the Go private key gives the Go note byte for byte', () => {
    const { signer, publicKey } = goSigner(go.signerKey['PeterNeumann'] as string);
    expect(signNote(go.text, [signer])).toBe(go.signedByPeter);
    expect(ed25519VerifierKey('PeterNeumann', publicKey)).toBe(go.verifierKeys['PeterNeumann']);
    expect(parseVerifierKey(go.verifierKeys['PeterNeumann'] as string).keyId).toBe(signer.keyId);
  });

  it.each(go.cases.map((c, i) => [i, c.verifiers.join(',') || 'none', c] as const))('case %i (%s)', (_i, _v, c) => {
    const verifiers = c.verifiers.map((name) => parseVerifierKey(go.verifierKeys[name] as string));
    if ('error' in c.want) {
      expect(() => openNote(c.note, verifiers)).toThrow(expect.objectContaining({ code: GO_ERRORS[c.want.error] }));
      return;
    }
    const opened = openNote(c.note, verifiers);
    expect(opened.text).toBe(go.text);
    expect(opened.verified.map((s) => s.name)).toEqual(c.want.verified);
    expect(opened.unverified.map((s) => s.name)).toEqual(c.want.unverified);
  });

  it.each(go.badVerifierKeys)('refuses the bad verifier key %s', (vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('opens the Go note given as UTF-8 bytes', () => {
    const peter = parseVerifierKey(go.verifierKeys['PeterNeumann'] as string);
    expect(openNote(new TextEncoder().encode(go.signedByPeter), [peter]).verified).toHaveLength(1);
  });
});

describe('signed notes', () => {
  const seed = new Uint8Array(32).fill(7);
  const signer = ed25519Signer('example.com/log', seed);
  const vkey = ed25519VerifierKey('example.com/log', ed25519.getPublicKey(seed));
  const verifier = parseVerifierKey(vkey);
  const text = 'example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

  it('signs and opens a note; the key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', () => {
    const note = signNote(text, [signer]);
    const opened = openNote(note, [verifier]);
    expect(opened).toMatchObject({ text, unverified: [] });
    expect(opened.verified[0]).toMatchObject({ name: 'example.com/log', keyId: signer.keyId });
    const id = signer.keyId.toString(16).padStart(8, '0');
    expect(vkey.startsWith(`example.com/log+${id}+`)).toBe(true);
    expect(fromBase64(vkey.slice(`example.com/log+${id}+`.length))[0]).toBe(0x01);
  });

  it('refuses to sign text without a final newline, with control characters, or a bad key name', () => {
    expect(() => signNote('no newline', [signer])).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => signNote('tab\there\n', [signer])).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => signNote('lone \ud800 surrogate\n', [signer])).toThrow(expect.objectContaining({ code: 'malformed' }));
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u2028b']) {
      expect(() => ed25519Signer(name, seed)).toThrow(expect.objectContaining({ code: 'malformed' }));
    }
  });

  it('refuses notes that are not UTF-8, hold a carriage return, or have a bad signature line', () => {
    const note = signNote(text, [signer]);
    const bytes = new TextEncoder().encode(note);
    const bad = Uint8Array.of(...bytes.subarray(0, 5), 0xff, ...bytes.subarray(6));
    expect(() => openNote(bad, [verifier])).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => openNote(note.replace('\n3\n', '\r\n3\n'), [verifier])).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
    expect(() => openNote(note.replace('— ', '-- '), [verifier])).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
    expect(() => openNote(note.replace(/ [^ ]+\n$/, ' AAAA\n'), [verifier])).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
  });

  it('accepts up to 100 signature lines and refuses 101', () => {
    const note = signNote(text, [signer]);
    const line = note.slice(note.lastIndexOf('— '));
    expect(openNote(note + line.repeat(MAX_SIGNATURES - 1), [verifier]).verified).toHaveLength(1);
    expect(() => openNote(note + line.repeat(MAX_SIGNATURES), [verifier])).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
  });

  it('ignores a line whose name or key ID alone matches a known key, and refuses a known key that fails', () => {
    const other = ed25519Signer('example.com/log', new Uint8Array(32).fill(8));
    const renamed = ed25519Signer('example.com/other', seed);
    const note = signNote(text, [signer, other, renamed]);
    const opened = openNote(note, [verifier]);
    expect(opened.verified.map((s) => s.keyId)).toEqual([signer.keyId]);
    expect(opened.unverified.map((s) => s.keyId)).toEqual([other.keyId, renamed.keyId]);
    const forged = signNote(`${text}x\n`, [signer]).split('\n\n')[1] as string;
    expect(() => openNote(`${text}\n${forged}`, [verifier])).toThrow(
      expect.objectContaining({ code: 'bad_signature' }),
    );
  });

  it('adds signature lines once, keeping those present', () => {
    const note = signNote(text, [signer]);
    const witness = ed25519Signer('witness.example', new Uint8Array(32).fill(9));
    const witnessVerifier = parseVerifierKey(
      ed25519VerifierKey('witness.example', ed25519.getPublicKey(new Uint8Array(32).fill(9))),
    );
    const line = parseNote(signNote(text, [witness])).signatures;
    const both = addSignatures(addSignatures(note, line), line);
    expect(both.startsWith(note)).toBe(true);
    expect(parseNote(both).signatures).toHaveLength(2);
    expect(openNote(both, [verifier, witnessVerifier]).verified).toHaveLength(2);
  });

  it('formats signature lines alone, as they follow the blank line of a signed note', () => {
    const note = signNote(text, [signer]);
    const { signatures } = parseNote(note);
    expect(formatSignatureLines(signatures)).toBe(note.slice(text.length + 1));
    expect(() => formatSignatureLines([{ name: 'a b', keyId: 1, signature: new Uint8Array(64) }])).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
  });

  it('refuses verifier keys with a wrong ID, a bad point, or a wrong length', () => {
    const [name, id, key] = vkey.split('+') as [string, string, string];
    const wrongId = `${name}+${(Number.parseInt(id, 16) ^ 1).toString(16).padStart(8, '0')}+${key}`;
    expect(() => parseVerifierKey(wrongId)).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseVerifierKey(`${name}+${id}`)).toThrow(expect.objectContaining({ code: 'malformed' }));
    // y = 2 is not the y of any point of Ed25519.
    const notAPoint = Uint8Array.of(2, ...new Uint8Array(31));
    expect(() => ed25519VerifierKey(name, notAPoint)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('stops signing once wiped', () => {
    const s = ed25519Signer('example.com/wiped', new Uint8Array(32).fill(3));
    s.wipe();
    expect(() => signNote(text, [s])).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('refuses two verifiers for one name and key ID', () => {
    const twice: NoteVerifier[] = [verifier, parseVerifierKey(vkey)];
    expect(() => openNote(signNote(text, [signer]), twice)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });
});
