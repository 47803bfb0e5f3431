/**
 * Signature lines on their own, as an add-checkpoint reply carries them
 * (`— <name> base64(keyId ‖ signature)\n` each): written by the note code
 * (core/tlog/note.ts) over the checkpoint text, then cut from the note, so
 * the line format has one author.
 * @module
 */
import { type NoteSignature, signNote } from '../../core/tlog/note.ts';

/** The lines of `signatures`, already made over `text` (the checkpoint body). */
export function signatureLines(text: string, signatures: readonly NoteSignature[]): string {
  const replay = signatures.map((s) => ({ name: s.name, keyId: s.keyId, sign: () => s.signature }));
  return signNote(text, replay).slice(text.length + 1);
}
