/**
 * Release conditions in plain words (issue 15, item 5): the state of a conditional release as the principal and
 * the beneficiary read it, computed from the conditions signed with the order and the nodes' times on its chain
 * (a check-in reply's `created` moves the date), the reminder's lead (7 days, or a tenth of a long period), and
 * the order page's panel rendered from a stored record. The real nodes and browser are test/e2e/conditions.e2e.ts's.
 */
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { ConditionsFieldset } from '../../src/app/orders/conditions/ConditionsFieldset.tsx';
import { type ConditionsChoice, conditionsOfChoice, NO_CONDITIONS } from '../../src/app/orders/conditions/choice.ts';
import { ReleaseSummary } from '../../src/app/orders/conditions/ReleaseSummary.tsx';
import { releaseInputOf } from '../../src/app/orders/conditions/record.ts';
import { checkInDue, type ReleaseInput, releaseOf, reminderLead } from '../../src/app/orders/conditions/release.ts';
import { conditionLines, formatDay, periodWords, releaseWords } from '../../src/app/orders/conditions/words.ts';
import type { OrderRecord, StoredEnvelope } from '../../src/app/orders/model.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2027, 1, 1, 9, 30); // 1 February 2027
const NODE = 'bafyreinodexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const ME = 'bafyreipaulxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const PAUL = { principal: true } as const;
const BEA = { principal: false, principalName: 'Paul' } as const;

const open = (input: Partial<ReleaseInput>): ReleaseInput => ({
  conditions: { checkIn: { every: 30 * DAY } },
  since: [T0],
  status: 'open',
  ...input,
});

function envelope(type: string, created: number): StoredEnvelope {
  return { cid: `${type}-${created}`, type, sender: NODE, recipients: [ME], created, bytes: new Uint8Array() };
}

describe('the release of an order with a dead man’s switch', () => {
  it('releases a period after the node’s time of the order, unless the principal checks in', () => {
    const r = releaseOf(open({}), T0 + DAY);
    expect(r).toEqual({ kind: 'waiting', at: T0 + 30 * DAY, checkIn: true });
    expect(releaseWords(r, PAUL)).toBe(`Releases on ${formatDay(T0 + 30 * DAY)} unless you check in`);
    expect(formatDay(T0 + 30 * DAY)).toMatch(/^3 March 2027/);
    expect(releaseWords(r, BEA)).toBe(
      `Not yet: Paul's switch releases on ${formatDay(T0 + 30 * DAY)} unless they check in`,
    );
  });

  it('a check-in (its reply’s time) moves the date; a notBefore later than the switch holds it', () => {
    expect(releaseOf(open({ since: [T0 + 10 * DAY] }), T0 + 11 * DAY)).toMatchObject({ at: T0 + 40 * DAY });
    const late = open({ conditions: { checkIn: { every: 30 * DAY }, notBefore: T0 + 100 * DAY } });
    const r = releaseOf(late, T0);
    expect(r).toEqual({ kind: 'waiting', at: T0 + 100 * DAY, checkIn: false });
    expect(releaseWords(r, PAUL)).toBe(`Not before ${formatDay(T0 + 100 * DAY)}`);
  });

  it('past the deadline it is due (a check-in still postpones it), and a group needs t nodes’ deadlines', () => {
    const r = releaseOf(open({}), T0 + 31 * DAY);
    expect(r).toEqual({ kind: 'due', at: T0 + 30 * DAY, checkIn: true });
    expect(releaseWords(r, PAUL)).toContain('check in now');
    expect(releaseWords(r, BEA)).toBe(`You can retrieve it since ${formatDay(T0 + 30 * DAY)}`);
    const group = open({ since: [T0 + 5 * DAY, T0, T0 + 9 * DAY], threshold: 2 });
    expect(releaseOf(group, T0)).toMatchObject({ at: T0 + 35 * DAY });
  });

  it('cancelled and released orders say so', () => {
    expect(releaseWords(releaseOf(open({ status: 'cancelled' }), T0), PAUL)).toBe(
      'Cancelled: the nodes deleted the secret',
    );
    expect(releaseWords(releaseOf(open({ status: 'cancelled' }), T0), BEA)).toMatch(/^Cancelled/);
    const released = releaseOf(open({ status: 'redeemed', releasedAt: T0 + 31 * DAY }), T0 + 40 * DAY);
    expect(releaseWords(released, PAUL)).toBe(`Released on ${formatDay(T0 + 31 * DAY)}`);
  });

  it('reminds 7 days ahead, or a tenth of a long period ahead, and once the deadline passed', () => {
    const month = { checkIn: { every: 30 * DAY } };
    const year = { checkIn: { every: 365 * DAY } };
    expect(reminderLead(month)).toBe(7 * DAY);
    expect(reminderLead(year)).toBe(36.5 * DAY);
    const due = (c: typeof month, now: number) => checkInDue(c, releaseOf(open({ conditions: c }), now), now);
    expect(due(month, T0 + 22 * DAY)).toBe(false);
    expect(due(month, T0 + 24 * DAY)).toBe(true);
    expect(due(month, T0 + 31 * DAY)).toBe(true);
    expect(due(year, T0 + 320 * DAY)).toBe(false);
    expect(due(year, T0 + 330 * DAY)).toBe(true);
    const dateOnly = { notBefore: T0 + DAY };
    expect(checkInDue(dateOnly, releaseOf(open({ conditions: dateOnly }), T0), T0)).toBe(false);
  });

  it('names the conditions in plain words', () => {
    const c = { checkIn: { every: 90 * DAY }, notBefore: T0, oidc: { issuer: 'https://id.example', email: 'a@b.c' } };
    expect(periodWords(DAY)).toBe('1 day');
    expect(periodWords(2 * 3_600_000)).toBe('2 hours');
    expect(conditionLines(c, PAUL)).toEqual([
      "Only if you don't check in for 90 days",
      `Not before ${formatDay(T0)}`,
      'To whoever signs in as a@b.c at id.example',
    ]);
    expect(conditionLines(c, BEA)[0]).toBe('Only if Paul does not check in for 90 days');
  });
});

describe('a stored order’s release', () => {
  const record = (envelopes: StoredEnvelope[], state: OrderRecord['state'] = 'open') =>
    ({
      owner: ME,
      id: 'order',
      plugin: 'safeguard',
      node: 'http://127.0.0.1:1',
      nodeIdentity: NODE,
      principal: ME,
      beneficiary: ME,
      role: 'both',
      created: T0 - 1000,
      updated: T0,
      state,
      envelopes,
      release: { conditions: { checkIn: { every: 30 * DAY } }, holders: [], since: {} },
    }) as unknown as OrderRecord;

  it('takes the node’s times from the chain: the latest check-in reply, else the order reply', () => {
    const holders = [{ url: 'http://127.0.0.1:1', identity: NODE, order: 'order' }];
    const o = { ...record([envelope('safeguard/order-reply', T0)]), release: { ...record([]).release!, holders } };
    expect(releaseInputOf(o)?.since).toEqual([T0]);
    const checked = { ...o, envelopes: [...o.envelopes, envelope('safeguard/check-in-reply', T0 + 12 * DAY)] };
    expect(releaseInputOf(checked)?.since).toEqual([T0 + 12 * DAY]);
    expect(releaseInputOf({ ...o, release: undefined } as OrderRecord)).toBeUndefined();
  });

  it('the order page’s summary shows the state and the conditions', () => {
    const holders = [{ url: 'http://127.0.0.1:1', identity: NODE, order: 'order' }];
    const o = { ...record([envelope('safeguard/order-reply', T0)]), release: { ...record([]).release!, holders } };
    render(() => <ReleaseSummary order={o} me={ME} now={T0 + DAY} />);
    const state = screen.getByTestId('release-state');
    expect(state.textContent).toBe(`Releases on ${formatDay(T0 + 30 * DAY)} unless you check in`);
    expect(state.getAttribute('data-release')).toBe('waiting');
    expect(state.getAttribute('data-at')).toBe(String(T0 + 30 * DAY));
    expect(screen.getByTestId('release-conditions').textContent).toContain("Only if you don't check in for 30 days");
    expect(screen.queryByTestId('release-reminder')).toBeNull();
    render(() => <ReleaseSummary order={{ ...o, state: 'cancelled' }} me={ME} now={T0 + DAY} />);
    expect(screen.getAllByTestId('release-state')[1]!.textContent).toBe('Cancelled: the nodes deleted the secret');
  });

  it('reminds on the order page when the deadline is near', () => {
    const holders = [{ url: 'http://127.0.0.1:1', identity: NODE, order: 'order' }];
    const o = { ...record([envelope('safeguard/order-reply', T0)]), release: { ...record([]).release!, holders } };
    render(() => <ReleaseSummary order={o} me={ME} now={T0 + 25 * DAY} />);
    expect(screen.getByTestId('release-reminder').textContent).toContain('Check in');
  });
});

describe('the order form’s conditions', () => {
  it('writes the conditions the nodes check from the choice, and refuses what they would refuse', () => {
    expect(conditionsOfChoice(NO_CONDITIONS)).toBeUndefined();
    expect(conditionsOfChoice({ ...NO_CONDITIONS, checkIn: true, days: 90 })).toEqual({ checkIn: { every: 90 * DAY } });
    const day = conditionsOfChoice({ ...NO_CONDITIONS, notBefore: true, date: '2027-03-03' });
    expect(day).toEqual({ notBefore: new Date(2027, 2, 3).getTime() });
    for (const days of [0, 1.5, 3651]) {
      expect(() => conditionsOfChoice({ ...NO_CONDITIONS, checkIn: true, days })).toThrow(/whole number of days/);
    }
    expect(() => conditionsOfChoice({ ...NO_CONDITIONS, notBefore: true, date: '' })).toThrow(/choose the day/);
    const oidc = { ...NO_CONDITIONS, oidc: true, issuer: 'https://id.example', email: 'bea@example.org' };
    expect(conditionsOfChoice(oidc)).toEqual({ oidc: { issuer: 'https://id.example', email: 'bea@example.org' } });
    expect(() => conditionsOfChoice({ ...oidc, issuer: 'http://id.example' })).toThrow(/issuer/);
  });

  it('asks for the days only once the switch is chosen; offers a provider only when there is one', () => {
    const [value, setValue] = createSignal<ConditionsChoice>(NO_CONDITIONS);
    render(() => <ConditionsFieldset value={value()} onChange={setValue} prefix="" />);
    expect(screen.queryByTestId('check-in-days')).toBeNull();
    expect(screen.queryByTestId('condition-oidc')).toBeNull();
    fireEvent.change(screen.getByTestId('condition-check-in'), { target: { checked: true } });
    expect(value().checkIn).toBe(true);
    fireEvent.input(screen.getByTestId('check-in-days'), { target: { value: '30' } });
    expect(conditionsOfChoice(value())).toEqual({ checkIn: { every: 30 * DAY } });
  });
});
