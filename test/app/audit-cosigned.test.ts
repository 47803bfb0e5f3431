/**
 * The Audit page's witnesses check on the node's newest cosigned checkpoint (when its latest carries none), on real
 * trees and real signed notes: cosigned at an earlier size that the latest extends, it is ok, named by witness; a
 * cosigned checkpoint of another tree, or larger than the latest, fails with both notes (and the proof computed
 * from the tiles, which really does not verify); one not signed by the log key fails; unreadable tiles leave the
 * check unknown; cosignatures only by keys the app does not know prove nothing.
 */
import { describe, expect, it } from 'vitest';
import type { NotedCheckpoint } from '../../src/app/audit/consistency.ts';
import { checkCosignedWitnesses } from '../../src/app/audit/cosigned.ts';
import { fromBase64, utf8 } from '../../src/core/bytes.ts';
import { formatCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosigner } from '../../src/core/tlog/cosignature.ts';
import { TlogError } from '../../src/core/tlog/errors.ts';
import { verifyConsistency } from '../../src/core/tlog/merkle.ts';
import { addSignatures, ed25519Signer, signNote } from '../../src/core/tlog/note.ts';
import { entriesOf, logOf, type MemoryLog } from './audit-memory-log.ts';
import { east, node, type Party, party, south, stranger, witnesses } from './audit-parties.ts';

/** The checkpoint of `log` at `size`, signed by `by` and cosigned by `cosigners`. */
async function noteOf(log: MemoryLog, size: number, cosigners: readonly Party[] = [], by: Party = node) {
  const text = formatCheckpoint({ origin: node.key.origin, size, root: await log.root(size), extensions: [] });
  const note = signNote(text, [ed25519Signer(node.key.origin, by.secret)]);
  const cosigned = addSignatures(
    note,
    cosigners.map((w, i) => cosigner(w.key.origin, w.secret).cosign(text, 1_765_000_000 + i)),
  );
  const noted: NotedCheckpoint = { origin: node.key.origin, size, root: await log.root(size), note: cosigned };
  return noted;
}

describe('the witnesses of the newest cosigned checkpoint', () => {
  it('cosigned at an earlier size that the latest extends: ok, by both witnesses, saying which checkpoint', async () => {
    const log = await logOf(entriesOf('e', 30));
    const latest = await noteOf(log, 30);
    const cosigned = await noteOf(log, 21, [south, east]);
    const check = await checkCosignedWitnesses(cosigned.note, latest, node.key, witnesses, log.read);
    expect(check).toMatchObject({ kind: 'witnesses', status: 'ok' });
    expect(check.reason).toBe('Checkpoint 21, which the latest (30 entries) extends, is cosigned by 2 nodes you know.');
    expect(check.details!.map((d) => d.split(':')[0])).toEqual(['fiduciary south', 'fiduciary east']);
  });

  it('cosigned at the latest size itself: ok', async () => {
    const log = await logOf(entriesOf('e', 9));
    const check = await checkCosignedWitnesses(
      (await noteOf(log, 9, [east])).note,
      await noteOf(log, 9),
      node.key,
      witnesses,
      log.read,
    );
    expect(check.status).toBe('ok');
    expect(check.reason).toBe('The latest checkpoint (9 entries) is cosigned by 1 node you know.');
  });

  it('a cosigned checkpoint of another history fails, with both notes and a proof that does not verify', async () => {
    const served = await logOf(entriesOf('e', 30));
    const other = await logOf([...entriesOf('e', 10), utf8('rewritten'), ...entriesOf('f', 10)]);
    const latest = await noteOf(served, 30);
    const cosigned = await noteOf(other, 21, [south, east]);
    const check = await checkCosignedWitnesses(cosigned.note, latest, node.key, witnesses, served.read);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/not part of the node's latest log of 30: the node signed two histories/);
    const evidence = check.evidence as {
      cosigned: { size: number; root: string; note: string };
      latest: { size: number; root: string; note: string };
      consistencyProof: string[];
    };
    expect(evidence.cosigned).toMatchObject({ size: 21, note: cosigned.note });
    expect(evidence.latest).toMatchObject({ size: 30, note: latest.note });
    const proof = evidence.consistencyProof.map((h) => fromBase64(h, 'proof'));
    expect(() =>
      verifyConsistency(21, 30, proof, fromBase64(evidence.cosigned.root, 'r'), fromBase64(evidence.latest.root, 'r')),
    ).toThrow(TlogError);
  });

  it('a cosigned checkpoint larger than the latest is a rollback', async () => {
    const log = await logOf(entriesOf('e', 12));
    const check = await checkCosignedWitnesses(
      (await noteOf(log, 12, [south])).note,
      await noteOf(log, 8),
      node.key,
      witnesses,
      log.read,
    );
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/older than the one its witnesses cosigned \(12\): a rollback/);
  });

  it('a cosigned checkpoint not signed by the log key fails, with the note and the expected key', async () => {
    const log = await logOf(entriesOf('e', 12));
    const forged = await noteOf(log, 10, [south], party(node.key.origin, 9));
    const check = await checkCosignedWitnesses(forged.note, await noteOf(log, 12), node.key, witnesses, log.read);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/cosigned checkpoint cannot be trusted/);
    expect(check.evidence).toEqual({ note: forged.note, logKey: node.key.verifierKey });
  });

  it('tiles that cannot be read leave it unknown', async () => {
    const log = await logOf(entriesOf('e', 12));
    const unreadable = () => {
      throw new Error('network down');
    };
    const cosigned = (await noteOf(log, 10, [south])).note;
    const check = await checkCosignedWitnesses(cosigned, await noteOf(log, 12), node.key, witnesses, unreadable);
    expect(check.status).toBe('unknown');
    expect(check.reason).toMatch(/Could not read the node's tiles/);
  });

  it('cosigned only by keys the app does not know: unknown, the stranger listed', async () => {
    const log = await logOf(entriesOf('e', 12));
    const cosigned = (await noteOf(log, 10, [stranger])).note;
    const check = await checkCosignedWitnesses(cosigned, await noteOf(log, 12), node.key, witnesses, log.read);
    expect(check.status).toBe('unknown');
    expect(check.details).toEqual(['stranger.example/log: a key this app does not know']);
  });
});
