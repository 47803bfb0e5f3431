// C2SP tlog-cosignature v1 (Ed25519, type 0x04): round trips through signed notes, the exact signed message, and
// the separation from plain note signatures of the same key both ways.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { cosignatureTime, cosignatureVerifierKey, cosigner } from '../../src/core/tlog/cosignature.ts';
import {
  addSignatures,
  ed25519Signer,
  ed25519VerifierKey,
  openNote,
  parseVerifierKey,
  signNote,
} from '../../src/core/tlog/note.ts';

const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const logSeed = new Uint8Array(32).fill(1);
const witnessSeed = new Uint8Array(32).fill(2);
const log = ed25519Signer('example.com/behind-the-sofa', logSeed);
const logVerifier = parseVerifierKey(ed25519VerifierKey(log.name, ed25519.getPublicKey(logSeed)));
const witness = cosigner('witness.example/w1', witnessSeed);
const witnessVerifier = parseVerifierKey(cosignatureVerifierKey(witness.name, ed25519.getPublicKey(witnessSeed)));

describe('cosignatures', () => {
  it('round-trips: cosign, add to the log-signed note, open with the log and witness keys, read the time', () => {
    const sig = witness.cosign(text, 1679315147);
    expect(sig.signature).toHaveLength(72);
    expect(cosignatureTime(sig)).toBe(1679315147);
    const note = addSignatures(signNote(text, [log]), [sig]);
    const opened = openNote(note, [logVerifier, witnessVerifier]);
    expect(opened.verified.map((s) => s.name)).toEqual([log.name, witness.name]);
    expect(cosignatureTime(opened.verified[1] as never)).toBe(1679315147);
  });

  it('signs "cosignature/v1\\ntime <t>\\n" followed by the checkpoint text, time first in the line', () => {
    const sig = witness.cosign(text, 1679315147);
    expect([...sig.signature.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0x64, 0x18, 0x50, 0xcb]);
    const message = utf8(`cosignature/v1\ntime 1679315147\n${text}`);
    expect(ed25519.verify(sig.signature.subarray(8), message, ed25519.getPublicKey(witnessSeed))).toBe(true);
  });

  it('a cosignature does not verify as a plain signature of the same key, nor the reverse', () => {
    const plain = ed25519Signer(witness.name, witnessSeed);
    const plainVerifier = parseVerifierKey(ed25519VerifierKey(witness.name, ed25519.getPublicKey(witnessSeed)));
    expect(plain.keyId).not.toBe(witness.keyId);
    const cosigned = addSignatures(signNote(text, [log]), [witness.cosign(text, 5)]);
    expect(openNote(cosigned, [logVerifier, plainVerifier]).unverified.map((s) => s.keyId)).toEqual([witness.keyId]);
    const signed = signNote(text, [log, plain]);
    expect(openNote(signed, [logVerifier, witnessVerifier]).unverified.map((s) => s.keyId)).toEqual([plain.keyId]);
    // Even with the key IDs lined up by hand, the bytes do not verify under the other scheme.
    const message = utf8(text);
    expect(plainVerifier.verify(message, witness.cosign(text, 5).signature.subarray(8))).toBe(false);
    expect(witnessVerifier.verify(message, new Uint8Array([...new Uint8Array(8), ...plain.sign(message)]))).toBe(false);
  });

  it('fails for a changed time, a changed checkpoint, or a changed signature', () => {
    const sig = witness.cosign(text, 100).signature;
    const message = utf8(text);
    expect(witnessVerifier.verify(message, sig)).toBe(true);
    const later = sig.slice();
    later[7] = 101;
    expect(witnessVerifier.verify(message, later)).toBe(false);
    expect(witnessVerifier.verify(utf8(text.replace('20852163', '20852164')), sig)).toBe(false);
    const flipped = sig.slice();
    flipped[40] = (flipped[40] as number) ^ 1;
    expect(witnessVerifier.verify(message, flipped)).toBe(false);
  });

  it('cosigns only checkpoints, at a non-negative integer time', () => {
    expect(() => witness.cosign('not a checkpoint\n', 1)).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => witness.cosign(text, -1)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
    expect(() => witness.cosign(text, 1.5)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
  });

  it('reads no time from a signature that is not 72 bytes', () => {
    expect(() => cosignatureTime({ name: 'w', keyId: 0, signature: new Uint8Array(64) })).toThrow(
      expect.objectContaining({ code: 'malformed' }),
    );
  });
});
