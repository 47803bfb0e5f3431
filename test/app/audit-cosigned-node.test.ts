/**
 * The Audit page's witnesses check against real nodes (HTTP on 127.0.0.1) when the latest checkpoint carries no
 * cosignature: node b witnesses node a, whose gatherer runs at its start and then only once a minute, so the orders
 * that follow leave a's latest checkpoint uncosigned while b's cosignature stays on the checkpoint it saw. The audit
 * reads a's newest cosigned checkpoint, proves from a's tiles that the latest extends it, and shows b as a witness.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditReport, auditNode } from '../../src/app/audit/audit.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { orderSafeguard } from '../../src/app/safeguard/flow.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { cosignatureVerifierKey } from '../../src/core/tlog/cosignature.ts';
import { ed25519VerifierKey, openNote, parseVerifierKey } from '../../src/core/tlog/note.ts';
import { homePaths } from '../../src/node/config.ts';
import { readHomeIdentity } from '../../src/node/home.ts';
import { makeHome, type RunningNode, sharedCore, startInProcess, tempDir, waitFor } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let a: RunningNode;
let b: RunningNode;
let alice: Device;

const TRUST = { network: 'regtest' } as const;
const check = (r: AuditReport, kind: string) => r.checks.find((c) => c.kind === kind)!;

beforeAll(async () => {
  const t = await tempDir('dta-app-audit-cosigned-');
  cleanups.push(t.cleanup);
  const core = await sharedCore();
  const homeA = await makeHome(join(t.dir, 'a'), { name: 'audited node' });
  const logA = (await readHomeIdentity(core, homeA))!.value.log!;
  const homeB = await makeHome(join(t.dir, 'b'), {
    name: 'witness node',
    config: { witnessing: [ed25519VerifierKey(logA.origin, logA.key)] },
  });
  b = await startInProcess(homeB);
  cleanups.push(() => b.close());
  const logB = (await readHomeIdentity(core, homeB))!.value.log!;
  const file = homePaths(homeA).config;
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const witnesses = [{ url: b.url, key: cosignatureVerifierKey(logB.origin, logB.key) }];
  await writeFile(file, JSON.stringify({ ...config, witnesses, witnessIntervalMs: 60_000 }));
  a = await startInProcess(homeA);
  cleanups.push(() => a.close());
  alice = await device('alice');
  await addNode(alice.deps, a.url);
  await addNode(alice.deps, b.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('auditing a node whose latest checkpoint is not cosigned yet', () => {
  it('the witnesses check shows the witness of the newest cosigned checkpoint, which the latest extends', async () => {
    // The round at a's start: b cosigns a's first checkpoint.
    const first = await waitFor(() => a.rt.log.cosigned(), 10_000);
    for (const secret of ['first secret', 'second secret']) {
      await orderSafeguard(alice.deps, { node: a.url, beneficiary: 'me', secret: utf8(secret), label: secret });
    }
    const latest = await a.rt.log.latest();
    expect(latest.checkpoint.size).toBeGreaterThan(first.checkpoint.size);
    expect(openNote(latest.note, [parseVerifierKey(a.rt.log.verifierKey)]).unverified).toEqual([]);

    const report = await auditNode(alice.deps, a.url, alice.cid, TRUST);
    const witnesses = check(report, 'witnesses');
    expect(witnesses.status, JSON.stringify(report.checks, null, 1)).toBe('ok');
    expect(witnesses.reason).toBe(
      `Checkpoint ${first.checkpoint.size}, which the latest (${latest.checkpoint.size} entries) extends, ` +
        'is cosigned by 1 node you know.',
    );
    expect(witnesses.details).toEqual([expect.stringMatching(/^witness node: cosigned at /)]);
    expect(check(report, 'checkpoint').status).toBe('ok');
  });
});
