/**
 * The Audit page's checkpoint and witness checks on real signed notes (C2SP signed-note, tlog-checkpoint and
 * tlog-cosignature v1, made with the tlog library): the node's checkpoint verifies with the log key its
 * identity binds and nothing else; cosignatures of known nodes are shown by name and time; a cosignature in a
 * known witness's name that does not verify fails, with the note as evidence; a fork a witness holds (two
 * checkpoints of one size signed by the node) fails, records that prove nothing alone do not.
 */
import { describe, expect, it } from 'vitest';
import { checkCheckpoint } from '../../src/app/audit/checkpoint.ts';
import { checkWitnessEvidence } from '../../src/app/audit/witness-evidence.ts';
import { checkWitnesses } from '../../src/app/audit/witnesses.ts';
import { formatTime } from '../../src/app/ui/format.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { formatCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosigner } from '../../src/core/tlog/cosignature.ts';
import { addSignatures, ed25519Signer, signNote } from '../../src/core/tlog/note.ts';
import { entriesOf, logOf } from './audit-memory-log.ts';
import { east, node, type Party, party, south, stranger, witnesses } from './audit-parties.ts';

async function checkpointText(size = 7, origin = node.key.origin): Promise<string> {
  const log = await logOf(entriesOf('e', size));
  return formatCheckpoint({ origin, size, root: await log.root(), extensions: [] });
}

const signed = (text: string, by: Party = node) => signNote(text, [ed25519Signer(by.key.origin, by.secret)]);
const cosign = (note: string, text: string, by: Party, time: number) =>
  addSignatures(note, [cosigner(by.key.origin, by.secret).cosign(text, time)]);

describe('the checkpoint', () => {
  it('verifies with the log key of the identity and gives size and root', async () => {
    const text = await checkpointText(7);
    const note = signed(text);
    const { check, checkpoint } = checkCheckpoint(note, node.key);
    expect(check).toMatchObject({ kind: 'checkpoint', status: 'ok' });
    expect(check.reason).toBe('Checkpoint of 7 entries, signed by the node’s log key (north.example/dta-log).');
    expect(checkpoint).toMatchObject({ origin: node.key.origin, size: 7, note });
    expect(check.details).toEqual([`root ${toBase64(checkpoint!.root)}`]);
  });

  it('signed by another key under the same name, it fails with the note and the expected key as evidence', async () => {
    const forger = party(node.key.origin, 9);
    const note = signed(await checkpointText(), forger);
    const { check, checkpoint } = checkCheckpoint(note, node.key);
    expect(checkpoint).toBeUndefined();
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/not signed by the log key this node’s identity names/);
    expect(check.evidence).toEqual({ note, logKey: node.key.verifierKey });
  });

  it('a signature by the right key id that does not verify fails', async () => {
    const note = signed(await checkpointText(7));
    const tampered = note.replace('\n7\n', '\n8\n');
    const { check } = checkCheckpoint(tampered, node.key);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/signature does not verify/);
  });

  it('a checkpoint of another origin, signed by a key named like the node’s, is refused', async () => {
    const note = signed(await checkpointText(7, 'other.example/log'));
    const { check } = checkCheckpoint(note, node.key);
    expect(check.status).toBe('failed');
    expect(check.reason).toBe('The checkpoint is of another log (other.example/log), not north.example/dta-log.');
  });
});

describe('the witnesses', () => {
  it('names every known witness that cosigned, with the time it signed; an unknown key is listed apart', async () => {
    const text = await checkpointText();
    let note = signed(text);
    note = cosign(note, text, south, 1_790_000_000);
    note = cosign(note, text, east, 1_790_000_060);
    note = cosign(note, text, stranger, 1_790_000_120);
    const check = checkWitnesses(note, node.key, witnesses);
    expect(check).toMatchObject({ kind: 'witnesses', status: 'ok', reason: 'Cosigned by 2 nodes you know.' });
    expect(check.details).toEqual([
      `fiduciary south: cosigned at ${formatTime(1_790_000_000_000)}`,
      `fiduciary east: cosigned at ${formatTime(1_790_000_060_000)}`,
      'stranger.example/log: a key this app does not know',
    ]);
  });

  it('a cosignature in a known witness’s name that does not verify fails, the note as evidence', async () => {
    const text = await checkpointText();
    // East's name and key id, but a signature over another checkpoint: what a forger copying lines would make.
    const other = await checkpointText(9);
    const forgedLine = cosigner(east.key.origin, east.secret).cosign(other, 1_790_000_000);
    const note = addSignatures(cosign(signed(text), text, south, 1_790_000_000), [forgedLine]);
    const check = checkWitnesses(note, node.key, witnesses);
    expect(check.status).toBe('failed');
    expect(check.reason).toBe('A cosignature in the name of fiduciary east does not verify.');
    expect(check.evidence).toMatchObject({ note, witnesses: [{ witness: 'fiduciary east' }] });
    expect(check.details).toContain('fiduciary east: the cosignature does not verify');
  });

  it('no cosignature from a node you know leaves the check not passed', async () => {
    const text = await checkpointText();
    const check = checkWitnesses(cosign(signed(text), text, stranger, 1), node.key, witnesses);
    expect(check.status).toBe('unknown');
    expect(check.reason).toBe('No node you know has cosigned this checkpoint yet.');
  });
});

describe('what the witnesses hold against the node', () => {
  const record = (cosigned: string, offered: string, kind = 'fork') => ({
    kind,
    origin: node.key.origin,
    cosigned: { note: cosigned },
    offered: { note: offered },
  });

  it('two checkpoints of one size with different roots, both signed by the node, fail as a fork', async () => {
    const honest = signed(await checkpointText(7));
    const forked = signed(
      formatCheckpoint({
        origin: node.key.origin,
        size: 7,
        root: await (await logOf(entriesOf('x', 7))).root(),
        extensions: [],
      }),
    );
    const check = checkWitnessEvidence(node.key, [{ witness: 'fiduciary south', records: [record(honest, forked)] }]);
    expect(check).toMatchObject({
      kind: 'witnesses',
      status: 'failed',
      reason: 'fiduciary south caught this node signing two different logs of the same size: a fork.',
      evidence: { forks: [{ witness: 'fiduciary south', cosigned: honest, offered: forked }] },
    });
  });

  it('records that prove nothing on their own are not held against the node', async () => {
    const seven = signed(await checkpointText(7));
    const nine = signed(await checkpointText(9));
    const forgedFork = signed(await checkpointText(7, node.key.origin), party(node.key.origin, 9));
    const held = [
      { witness: 'fiduciary south', records: [record(seven, nine, 'inconsistent'), record(seven, forgedFork), 'junk'] },
      { witness: 'fiduciary east', records: [record(seven, seven)] },
    ];
    expect(checkWitnessEvidence(node.key, held)).toBeUndefined();
  });
});
