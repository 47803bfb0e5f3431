/**
 * The Audit page's audit against a real node (real HTTP on 127.0.0.1, the node's own log and tiles): the
 * checkpoint verifies with the log key of the node's identity, the person's envelopes are proven included, the
 * log grows consistently between two audits; then the node is restarted at the same address over an older copy
 * of its home (same identity, another history) and the audit fails: the log does not extend what this device
 * saw, the envelopes of the later order are not in it, and the evidence is kept on the device.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditReport, auditNode } from '../../src/app/audit/audit.ts';
import { evidenceOf, lastSeen } from '../../src/app/audit/seen.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { orderSafeguard } from '../../src/app/safeguard/flow.ts';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { clientIdentity, makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let home: string;
let node: RunningNode;
let alice: Device;

const TRUST = { network: 'regtest' } as const;
const statuses = (r: AuditReport) => Object.fromEntries(r.checks.map((c) => [c.kind, c.status]));
const check = (r: AuditReport, kind: string) => r.checks.find((c) => c.kind === kind)!;

/** Restarts the node over `dir` at the address the device knows it by. */
async function restartOver(dir: string): Promise<void> {
  const port = Number(new URL(node.url).port);
  await node.close();
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, port }));
  node = await startInProcess(dir);
  expect(node.url).toBe(`http://127.0.0.1:${port}`);
}

const order = (secret: string) =>
  orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', secret: utf8(secret), label: secret });

beforeAll(async () => {
  const t = await tempDir('dta-app-audit-');
  cleanups.push(t.cleanup);
  home = join(t.dir, 'home');
  node = await startInProcess(await makeHome(home, { name: 'audited node' }));
  cleanups.push(() => node.close());
  alice = await device('alice');
  await addNode(alice.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('auditing a real node', () => {
  let seenSize = 0;

  it('first audit: checkpoint verified, envelopes included, the checkpoint kept', async () => {
    await order('first secret');
    const progress: number[] = [];
    const report = await auditNode(alice.deps, node.url, alice.cid, TRUST, (p) => {
      if (p.done !== undefined) progress.push(p.done);
    });
    expect(statuses(report), JSON.stringify(report.checks, null, 1)).toMatchObject({
      checkpoint: 'ok',
      consistency: 'ok',
      inclusion: 'ok',
    });
    expect(check(report, 'inclusion').reason).toMatch(/^All \d+ of your envelopes with this node are in its log\.$/);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(report.evidence).toBeUndefined();
    const kept = await lastSeen(alice.deps, node.rt.identity.cid.toString());
    expect(kept?.size).toBe((await node.rt.log.latest()).checkpoint.size);
    seenSize = kept!.size;
  });

  it('after another order the log grew consistently', async () => {
    await cp(home, `${home}-old`, { recursive: true });
    await order('second secret');
    const report = await auditNode(alice.deps, node.url, alice.cid, TRUST);
    expect(statuses(report)).toMatchObject({ checkpoint: 'ok', consistency: 'ok', inclusion: 'ok' });
    const size = (await node.rt.log.latest()).checkpoint.size;
    expect(check(report, 'consistency').reason).toBe(
      `The log grew from ${seenSize} to ${size} entries without changing any earlier one.`,
    );
    seenSize = size;
  });

  it('the same identity over an older home, grown with other entries: a fork, caught, with evidence kept', async () => {
    // The copy was taken before the second order: same keys, same identity, a log without that order.
    await restartOver(`${home}-old`);
    const api = new NodeApi(node.url);
    for (let i = 0; i < 50 && (await node.rt.log.latest()).checkpoint.size <= seenSize; i++) {
      await api.registerIdentity((await clientIdentity(`filler ${i}`)).identity.bytes);
    }
    expect((await node.rt.log.latest()).checkpoint.size).toBeGreaterThan(seenSize);
    const report = await auditNode(alice.deps, node.url, alice.cid, TRUST);
    expect(statuses(report)).toMatchObject({ checkpoint: 'ok', consistency: 'failed', inclusion: 'failed' });
    expect(check(report, 'consistency').reason).toMatch(/does not extend the \d+ it showed this device before: a fork/);
    const evidence = JSON.parse(report.evidence!);
    expect(evidence).toMatchObject({ type: 'dta/audit-evidence', version: 1, node: node.rt.identity.cid.toString() });
    expect(evidence.failed.map((f: { check: string }) => f.check)).toEqual(['consistency', 'inclusion']);
    // The device keeps what it saw before, not the forked checkpoint, and keeps the evidence.
    expect((await lastSeen(alice.deps, node.rt.identity.cid.toString()))?.size).toBe(seenSize);
    const kept = await evidenceOf(alice.deps, node.rt.identity.cid.toString());
    expect(kept.map((k) => k.json)).toEqual([report.evidence]);
  });
});
