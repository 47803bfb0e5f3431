/**
 * The Audit page's checks on real logs built with the tlog library: a log that grew is consistent with what
 * the device saw; a fork (another tree under the same size, or a larger tree rewriting an old entry) and a
 * rollback fail with both checkpoints as evidence; every envelope proven included, and one the node never
 * logged (or logged as something else) fails.
 */
import { describe, expect, it } from 'vitest';
import { checkConsistency, type NotedCheckpoint } from '../../src/app/audit/consistency.ts';
import { checkInclusion, type EnvelopeEntry } from '../../src/app/audit/inclusion.ts';
import { fromBase64, utf8 } from '../../src/core/bytes.ts';
import { consistencyProof, leafHash, verifyConsistency, verifyInclusion } from '../../src/core/tlog/merkle.ts';
import { entriesOf, logOf, type MemoryLog } from './audit-memory-log.ts';

const ORIGIN = 'example.org/dta-log';

async function noted(log: MemoryLog, size = log.size): Promise<NotedCheckpoint> {
  return { origin: ORIGIN, size, root: await log.root(size), note: `${ORIGIN}\n${size}\n(note of size ${size})\n` };
}

describe('consistency with what this device saw', () => {
  it('the first checkpoint seen is kept, not judged', async () => {
    const log = await logOf(entriesOf('e', 5));
    const check = await checkConsistency(undefined, await noted(log), log.read);
    expect(check).toMatchObject({ kind: 'consistency', status: 'ok' });
    expect(check.reason).toMatch(/first time/);
  });

  it('a log that only grew is consistent, for every earlier size', async () => {
    const log = await logOf(entriesOf('e', 23));
    const now = await noted(log);
    for (const size of [1, 2, 7, 8, 16, 22, 23]) {
      const before = await logOf(entriesOf('e', size));
      const check = await checkConsistency(await noted(before), now, log.read);
      expect(check.status, `from ${size}`).toBe('ok');
      expect(check.reason).toBe(
        size === 23
          ? 'The same log of 23 entries this device saw last time.'
          : `The log grew from ${size} to 23 entries without changing any earlier one.`,
      );
    }
  });

  it('a fork at the same size fails with both signed notes as evidence', async () => {
    const honest = await logOf(entriesOf('e', 9));
    const forked = await logOf([...entriesOf('e', 8), utf8('something else')]);
    const before = await noted(honest);
    const now = await noted(forked);
    const check = await checkConsistency(before, now, forked.read);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/same size 9: a fork/);
    expect(check.evidence).toMatchObject({ before: { size: 9, note: before.note }, now: { size: 9, note: now.note } });
  });

  it('a larger log that rewrote an earlier entry fails, and its proof in the evidence really does not verify', async () => {
    const seen = await logOf(entriesOf('e', 6));
    const rewritten = await logOf([...entriesOf('e', 3), utf8('rewritten'), ...entriesOf('f', 10)]);
    const before = await noted(seen);
    const now = await noted(rewritten);
    const check = await checkConsistency(before, now, rewritten.read);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/does not extend the 6/);
    const proof = (check.evidence!.consistencyProof as string[]).map((p) => fromBase64(p));
    expect(proof).toEqual(await consistencyProof(6, 14, rewritten.read));
    expect(() => verifyConsistency(6, 14, proof, before.root, now.root)).toThrow(/old root/);
  });

  it('a rollback to a smaller log fails', async () => {
    const big = await logOf(entriesOf('e', 12));
    const small = await logOf(entriesOf('e', 10));
    const check = await checkConsistency(await noted(big), await noted(small), small.read);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/went back: it shows 10 entries, but showed this device 12/);
  });

  it('tiles that cannot be read leave the check unknown, not passed', async () => {
    const log = await logOf(entriesOf('e', 12));
    const before = await noted(await logOf(entriesOf('e', 5)));
    const check = await checkConsistency(before, await noted(log), () => {
      throw new Error('connection reset');
    });
    expect(check.status).toBe('unknown');
    expect(check.reason).toMatch(/connection reset/i);
  });
});

describe('envelopes proven included', () => {
  const entries = entriesOf('envelope', 40);
  const mine = (indexes: number[]): EnvelopeEntry[] =>
    indexes.map((i) => ({ cid: `cid-${i}`, entry: entries[i]!, index: i }));

  it('every envelope of the person is proven against the checkpoint, with progress', async () => {
    const log = await logOf(entries);
    const progress: [number, number][] = [];
    const check = await checkInclusion(
      mine([0, 7, 8, 31, 39]),
      await noted(log),
      log.read,
      async () => undefined,
      (d, t) => progress.push([d, t]),
    );
    expect(check).toMatchObject({
      kind: 'inclusion',
      status: 'ok',
      reason: 'All 5 of your envelopes with this node are in its log.',
    });
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('the index comes from the node when the device did not keep it', async () => {
    const log = await logOf(entries);
    const asked: string[] = [];
    const indexOf = async (cid: string) => {
      asked.push(cid);
      return Number(cid.slice(4));
    };
    const envelopes = mine([3, 20]).map(({ cid, entry }) => ({ cid, entry }));
    const check = await checkInclusion(envelopes, await noted(log), log.read, indexOf);
    expect([check.status, asked]).toEqual(['ok', ['cid-3', 'cid-20']]);
  });

  it('an envelope the node never logged fails, named, with the checkpoint as evidence', async () => {
    const log = await logOf(entries);
    const at = await noted(log);
    const stranger = { cid: 'cid-stranger', entry: utf8('never appended') };
    const check = await checkInclusion([...mine([1]), stranger], at, log.read, async () => undefined);
    expect(check.status).toBe('failed');
    expect(check.reason).toBe('1 of your 2 envelopes with this node are not in its log.');
    expect(check.details).toEqual(['cid-stranger: the node’s log has no entry for it']);
    expect(check.evidence).toMatchObject({ checkpoint: at.note, envelopes: [{ cid: 'cid-stranger' }] });
  });

  it('an envelope the node claims at an index holding another entry fails', async () => {
    const log = await logOf(entries);
    const at = await noted(log);
    const claimed = { cid: 'cid-claimed', entry: utf8('my envelope'), index: 12 };
    const check = await checkInclusion([claimed], at, log.read, async () => undefined);
    expect(check.status).toBe('failed');
    expect(check.details![0]).toMatch(/^cid-claimed: not at index 12 of the log/);
    // The evidence is enough to see it again: the leaf does not lead to the root at that index.
    const ev = (check.evidence!.envelopes as { entry: string; inclusionProof: string[] }[])[0]!;
    const proof = ev.inclusionProof.map((p) => fromBase64(p));
    expect(proof).toHaveLength(6);
    expect(() => verifyInclusion(leafHash(fromBase64(ev.entry)), 12, 40, proof, at.root)).toThrow(/root/);
  });

  it('an envelope appended after the checkpoint is not yet proven, not failed', async () => {
    const log = await logOf(entries);
    const at = await noted(log, 30);
    const check = await checkInclusion(mine([2, 35]), at, log.read, async () => undefined);
    expect(check.status).toBe('unknown');
    expect(check.reason).toBe('1 of 2 envelopes proven in the log; 1 not yet.');
  });
});
