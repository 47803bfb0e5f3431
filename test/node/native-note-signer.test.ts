/** The log's checkpoint signer on node:crypto gives the core's (noble) Ed25519 note signatures byte for byte. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { ed25519Signer, signNote } from '../../src/core/tlog/note.ts';
import { nativeEd25519Signer } from '../../src/node/log/native-note-signer.ts';

describe('native Ed25519 note signer', () => {
  it('signs exactly as the core signer, with the same name and key ID', () => {
    for (let i = 0; i < 20; i++) {
      const secretKey = ed25519.utils.randomSecretKey();
      const native = nativeEd25519Signer('example.org/log', secretKey);
      const reference = ed25519Signer('example.org/log', secretKey);
      expect([native.name, native.keyId]).toEqual([reference.name, reference.keyId]);
      const message = crypto.getRandomValues(new Uint8Array(i * 13));
      expect(native.sign(message)).toEqual(reference.sign(message));
      const text = `example.org/log\n${i}\nroot\n`;
      expect(signNote(text, [native])).toBe(signNote(text, [reference]));
    }
  });

  it('refuses to sign once wiped, and refuses a bad key or name as the core does', () => {
    const signer = nativeEd25519Signer('example.org/log', ed25519.utils.randomSecretKey());
    signer.wipe();
    expect(() => signer.sign(new Uint8Array(1))).toThrow(/wiped/);
    expect(() => nativeEd25519Signer('example.org/log', new Uint8Array(31))).toThrow();
    expect(() => nativeEd25519Signer('bad name', new Uint8Array(32))).toThrow();
  });
});
