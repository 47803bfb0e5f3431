/**
 * The custody screens' parts in a DOM: each node's line says where it stands in words (holds its share, refused
 * and why, lied, gave no share) with its share index and order; a group's rows on its order page show t of n,
 * the group's CID, which node holds which share and what the last retrieval found; the proposed threshold is a
 * majority (2 of 3 for three nodes) and its sentence says what t means. Real nodes: test/e2e/custody.e2e.ts.
 */
import { render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { CustodyFacts } from '../../src/app/custody/CustodyFacts.tsx';
import { NodeProgressList } from '../../src/app/custody/NodeProgressList.tsx';
import type { CustodyMember, CustodySummary } from '../../src/app/custody/summary.ts';
import { defaultThreshold, explainThreshold } from '../../src/app/custody/threshold.ts';
import type { OrderRecord } from '../../src/app/orders/model.ts';

const GROUP = 'bafyreie7sutqbjpz5lrzngye4ljld7wwbqu7szfthv2to7zge6736vumhu';
const ORDER = (i: number) => `bafyreid${'abcdefgh'[i]}wjem54radtcluuj33capfeqr7ilwzoadhxa5jkvovmondctfrwm`;

function member(index: number, state: CustodyMember['state'], extra: Partial<CustodyMember> = {}): CustodyMember {
  return {
    index,
    url: `http://127.0.0.1:400${index}`,
    identity: `bafyreinode${index}`,
    name: `node ${index}`,
    order: ORDER(index),
    state,
    ...extra,
  };
}

function record(summary: Omit<CustodySummary, 'kind' | 'group'>): OrderRecord {
  return {
    owner: 'bafyreibea',
    id: ORDER(1),
    plugin: 'custody',
    node: 'http://127.0.0.1:4001',
    nodeIdentity: 'bafyreinode1',
    principal: 'bafyreipaul',
    beneficiary: 'bafyreibea',
    role: 'beneficiary',
    created: 0,
    updated: 0,
    state: 'open',
    envelopes: [],
    summary: { kind: 'custody', group: GROUP, ...summary },
  };
}

const lines = (list: HTMLElement) =>
  within(list)
    .getAllByTestId('custody-node')
    .map((li) => [li.getAttribute('data-index'), li.getAttribute('data-state'), li.textContent]);

describe('NodeProgressList', () => {
  it('one line per node: its share index, name, URL, state in words and the reason', () => {
    render(() => (
      <NodeProgressList
        testid="progress"
        rows={[
          { index: 1, name: 'node 1', url: 'http://a', state: 'holds', order: ORDER(1) },
          { index: 2, name: 'node 2', url: 'http://b', state: 'refused', reason: 'unreachable: connection refused' },
          { index: 3, name: 'node 3', url: 'http://c', state: 'sealing' },
        ]}
      />
    ));
    const got = lines(screen.getByTestId('progress'));
    expect(got.map(([i, s]) => [i, s])).toEqual([
      ['1', 'holds'],
      ['2', 'refused'],
      ['3', 'sealing'],
    ]);
    expect(got[0]![2]).toContain('Share 1 · node 1');
    expect(got[0]![2]).toContain('holds its share');
    expect(got[0]![2]).toContain(ORDER(1));
    expect(got[1]![2]).toContain('refused: unreachable: connection refused');
    expect(got[2]![2]).toContain('sealing its share');
  });
});

describe('CustodyFacts', () => {
  it('shows t of n, the group, who holds which share, and who answered, lied or was down', () => {
    const members = [
      member(1, 'holds', { answer: { state: 'good' } }),
      member(2, 'holds', { answer: { state: 'wrong', reason: 'sent a share that fails the commitments' } }),
      member(3, 'holds', { answer: { state: 'failed', reason: 'unreachable' } }),
    ];
    render(() => (
      <dl>
        <CustodyFacts order={record({ t: 2, n: 3, members, retrievedAt: 1 })} />
      </dl>
    ));
    const t = screen.getByTestId('custody-threshold-fact');
    expect([t.getAttribute('data-t'), t.getAttribute('data-n'), t.getAttribute('data-holding')]).toEqual([
      '2',
      '3',
      '3',
    ]);
    expect(t.textContent).toContain('2 of 3. Any 2 of the 3 nodes give the secret back');
    expect(screen.getByTestId('custody-group').textContent).toContain(GROUP);
    expect(lines(screen.getByTestId('custody-members')).map(([, s]) => s)).toEqual(['holds', 'holds', 'holds']);
    const answers = lines(screen.getByTestId('custody-answers'));
    expect(answers.map(([, s]) => s)).toEqual(['good', 'wrong', 'failed']);
    expect(answers[1]![2]).toContain('lied: its share is wrong: sent a share that fails the commitments');
    expect(answers[2]![2]).toContain('gave no share: unreachable');
    // A beneficiary's record: nothing to complete, reshare or hand on.
    expect(screen.queryByTestId('custody-complete')).toBeNull();
    expect(screen.queryByTestId('custody-reshare')).toBeNull();
  });

  it('says how many nodes hold their share when some refused', () => {
    const members = [member(1, 'holds'), member(2, 'refused', { reason: 'bad_share' }), member(3, 'holds')];
    render(() => (
      <dl>
        <CustodyFacts order={record({ t: 2, n: 3, members })} />
      </dl>
    ));
    expect(screen.getByTestId('custody-threshold-fact').textContent).toContain('2 of 3 (2 of 3 hold their share)');
    expect(screen.queryByTestId('custody-answers')).toBeNull();
  });
});

describe('the proposed threshold', () => {
  it('is a majority: 2 of 3 when three nodes are chosen', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(defaultThreshold)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it('explains t in one sentence', () => {
    expect(explainThreshold(2, 3)).toBe(
      'Any 2 of the 3 nodes give the secret back, so one node may be lost; one node alone learns nothing.',
    );
    expect(explainThreshold(3, 3)).toBe(
      'All 3 nodes must answer to give the secret back; 2 nodes together learn nothing.',
    );
    expect(explainThreshold(1, 2)).toMatch(/any one of them could read it/);
  });
});
