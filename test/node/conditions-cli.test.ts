// Issue 15 from the command line, in child processes against a node on 127.0.0.1: `dta order` with
// --not-before and --check-in-every writes the conditions the node keeps; `dta retrieve` before the time is
// refused naming the condition; `dta check-in` and `dta cancel` are the principal's steps (the cancel deletes the
// secret at the node); out-of-range options are usage errors before anything is sent. Alice safeguards for herself:
// one home, few processes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionsOf } from '../../src/node/cli/conditions-options.ts';
import { makeHome, type RunningNode, spawnDta, startInProcess, tempDir } from './harness.ts';

const DAY = 86_400_000;
let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: string, aliceCid: string;

beforeAll(async () => {
  tmp = await tempDir('dta-conditions-cli-');
  node = await startInProcess(await makeHome(join(tmp.dir, 'node')));
  alice = join(tmp.dir, 'alice');
  const created = await spawnDta(['identity', 'create', '--home', alice, '--name', 'alice', '--scrypt-log-n', '14']);
  aliceCid = created.output().trim();
}, 90_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('release conditions from the command line', () => {
  it('orders with conditions, refuses a retrieve before the time, checks in, cancels', async () => {
    const notBefore = new Date(Date.now() + 30 * DAY).toISOString();
    await writeFile(join(tmp.dir, 'secret.txt'), 'the will');
    const ordered = await spawnDta([
      'order',
      ...['--home', alice, '--url', node.url, '--beneficiary', aliceCid, '--secret-file', join(tmp.dir, 'secret.txt')],
      ...['--not-before', notBefore, '--check-in-every', '90'],
    ]);
    const { order } = JSON.parse(ordered.output()) as { order: string };
    const record = (await node.rt.orders.get(order))!.record;
    expect(record.conditions).toEqual({ notBefore: Date.parse(notBefore), checkIn: { every: 90 * DAY } });

    const early = await spawnDta(['retrieve', '--home', alice, '--url', node.url, '--order', order]);
    expect(await early.exited).toBe(1);
    expect(early.output()).toContain(
      `403 condition_not_met: the order cannot be released yet: not before ${notBefore}`,
    );

    const checkIn = await spawnDta(['check-in', '--home', alice, '--url', node.url, '--order', order]);
    expect(JSON.parse(checkIn.output())).toMatchObject({ order, status: 'open' });

    const cancel = await spawnDta(['cancel', '--home', alice, '--url', node.url, '--order', order]);
    expect(JSON.parse(cancel.output())).toMatchObject({ order, status: 'cancelled' });
    expect(await node.rt.home.keystore.has(`safeguard/${order}`)).toBe(false);
  }, 90_000);

  it('a check-in period out of range, or a time that is not ISO, is a usage error before anything is sent', () => {
    expect(() => conditionsOf({ 'check-in-every': '0.01' })).toThrow(/a check-in period is 1 hour to 3650 days/);
    expect(() => conditionsOf({ 'check-in-every': '3651' })).toThrow(/a check-in period is 1 hour/);
    expect(() => conditionsOf({ 'not-before': 'tomorrow' })).toThrow(/--not-before: expected an ISO time/);
    expect(conditionsOf({ 'not-before': '2027-03-03', 'check-in-every': '1.5' })).toEqual({
      notBefore: Date.UTC(2027, 2, 3),
      checkIn: { every: 36 * 3_600_000 },
    });
    expect(conditionsOf({})).toBeUndefined();
  });
});
