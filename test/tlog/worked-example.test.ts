// The worked example of docs/protocol.md, "Transparency log formats": every value the section prints is computed
// here by the library, so the documentation cannot drift from the code.
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { toBase64, toHex, utf8 } from '../../src/core/bytes.ts';
import { formatCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosignatureVerifierKey, cosigner } from '../../src/core/tlog/cosignature.ts';
import { inclusionProof, treeHash } from '../../src/core/tlog/merkle.ts';
import {
  addSignatures,
  ed25519Signer,
  ed25519VerifierKey,
  openNote,
  parseVerifierKey,
  signNote,
} from '../../src/core/tlog/note.ts';
import { entriesPath, entryBundle, tileOf, tilePath } from '../../src/core/tlog/tiles.ts';
import { MemoryTree } from './memory-tree.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Transparency log formats'));
const shown = (value: string): void => expect(section).toContain(value);

describe('docs/protocol.md worked example', () => {
  it('shows the hashes, proofs and tiles of the tree of a, b, c', async () => {
    const entries = ['a', 'b', 'c'].map(utf8);
    const tree = await MemoryTree.of(3, (i) => entries[i] as Uint8Array);
    for (let i = 0; i < 3; i++) {
      const hex = toHex(await tree.read(0, i));
      shown(`\`${hex.slice(0, 8)}…${hex.slice(-4)}\``);
    }
    shown(toHex(await tree.read(1, 0)));
    shown(toHex(await treeHash(3, tree.read)));
    expect(await inclusionProof(0, 3, tree.read)).toEqual([await tree.read(0, 1), await tree.read(0, 2)]);
    expect(await inclusionProof(2, 3, tree.read)).toEqual([await tree.read(1, 0)]);
    shown(`\`${tilePath(0, 0, 3)}\` (3 hashes, ${(await tileOf(0, 0, 3, tree.read)).length} bytes)`);
    const bundle = [...entryBundle(entries)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    shown(`\`${entriesPath(0, 3)}\` = \`${bundle}\``);
  });

  it('shows the verifier keys and the cosigned checkpoint, which opens with both keys', async () => {
    const logSeed = new Uint8Array(32).fill(1);
    const witnessSeed = new Uint8Array(32).fill(2);
    const origin = 'node.example/dta/log';
    const logKey = ed25519VerifierKey(origin, ed25519.getPublicKey(logSeed));
    const witnessKey = cosignatureVerifierKey('w1.example', ed25519.getPublicKey(witnessSeed));
    shown(logKey);
    shown(witnessKey);
    const tree = await MemoryTree.of(3, (i) => utf8('abc'[i] as string));
    const text = formatCheckpoint({ origin, size: 3, root: await treeHash(3, tree.read), extensions: [] });
    const sig = cosigner('w1.example', witnessSeed).cosign(text, 1767225600);
    const note = addSignatures(signNote(text, [ed25519Signer(origin, logSeed)]), [sig]);
    shown(`\`\`\`\n${note}\`\`\``);
    const opened = openNote(note, [parseVerifierKey(logKey), parseVerifierKey(witnessKey)]);
    expect(opened.verified).toHaveLength(2);
    expect(toBase64(sig.signature.subarray(0, 8))).toBe(toBase64(Uint8Array.of(0, 0, 0, 0, 0x69, 0x55, 0xb9, 0)));
    shown('`00 00 00 00 69 55 b9 00`');
  });
});
