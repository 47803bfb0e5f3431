// PluginContext.dkg, the plugins' view of the DKGs a node finished: after a real DKG among three nodes (n = 3,
// t = 2, in this process, over HTTP), the plugin the purpose names gets each node's holding — its index, the
// requester, a share that verifies against the commitments, a copy it may wipe — and another plugin gets
// nothing; remove deletes the share (idempotent), the node then answers `done` saying so, and a restarted node
// keeps it removed. A session not done yet is nobody's holding.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDkg } from '../../src/core/api/dkg-relay.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import type { DtaPlugin, PluginDkg } from '../../src/node/plugins/types.ts';
import { readDkgRecord } from './dkg-homes.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const probe: DtaPlugin = { name: 'probe', version: '1' };
const other: DtaPlugin = { name: 'other', version: '1' };
let tmp: { dir: string; cleanup: () => Promise<void> };
let homes: string[];
let nodes: RunningNode[];
let alice: KeyIdentity;

const start = (home: string) => startInProcess(home, { plugins: [probe, other] });
const dkgOf = (node: RunningNode, plugin: string): PluginDkg => node.rt.plugins.get(plugin)!.ctx.dkg!;
const sessionsOf = () => Promise.all(nodes.map((n) => clientOf(n.url, alice)));

beforeAll(async () => {
  tmp = await tempDir('dta-dkg-capability-');
  homes = await Promise.all([1, 2, 3].map((i) => makeHome(join(tmp.dir, `node${i}`), { name: `node ${i}` })));
  nodes = await Promise.all(homes.map(start));
  alice = await clientIdentity('alice');
}, 60_000);

afterAll(async () => {
  await Promise.all((nodes ?? []).map((n) => n.close()));
  await tmp?.cleanup();
});

describe('PluginContext.dkg', () => {
  it("gives the purpose's plugin each node's holding, nobody else; remove deletes it for good", async () => {
    const core = await sharedCore();
    const group = blsGroup(core);
    const result = await runDkg({ sessions: await sessionsOf(), t: 2, group: 'bls12-381', purpose: 'probe:a key' });
    const id = result.session.cid;
    for (const [k, node] of nodes.entries()) {
      const held = await dkgOf(node, 'probe').get(id);
      expect(held).toBeDefined();
      expect(held!.index).toBe(k + 1);
      expect(held!.requester.equals(alice.identity.cid)).toBe(true);
      expect(held!.session.cid.equals(id)).toBe(true);
      expect(toBase64(held!.groupKey)).toBe(toBase64(result.groupKey));
      expect(held!.commitments.map(toBase64)).toEqual(result.commitments.map(toBase64));
      expect(group.verifyShare({ index: k + 1, value: held!.share }, held!.commitments)).toBe(true);
      held!.share.fill(0); // the plugin's copy: wiping it leaves the node's share as it was
      const again = await dkgOf(node, 'probe').get(id);
      expect(group.verifyShare({ index: k + 1, value: again!.share }, again!.commitments)).toBe(true);
      expect(await dkgOf(node, 'other').get(id)).toBeUndefined();
      await dkgOf(node, 'other').remove(id); // not its session: nothing happens
      expect(await dkgOf(node, 'probe').get(id)).toBeDefined();
    }
    await dkgOf(nodes[0]!, 'probe').remove(id);
    await dkgOf(nodes[0]!, 'probe').remove(id); // idempotent
    expect(await dkgOf(nodes[0]!, 'probe').get(id)).toBeUndefined();
    const status = await (await sessionsOf())[0]!.api.dkgStatus(id.toString());
    expect(status.phase).toBe('done');
    expect(status.detail).toMatch(/share was removed/);
    await nodes[0]!.close();
    const record = await readDkgRecord(homes[0]!, id);
    expect(record?.state.phase).toBe('removed');
    expect('share' in record!.state).toBe(false);
    nodes[0] = await start(homes[0]!);
    expect(await dkgOf(nodes[0]!, 'probe').get(id)).toBeUndefined();
    expect(await dkgOf(nodes[1]!, 'probe').get(id)).toBeDefined();
  }, 60_000);

  it('a session not done is nobody’s holding', async () => {
    const sessions = await sessionsOf();
    const session = createSession({
      group: 'secp256k1',
      nodes: sessions.map((s) => s.node.cid),
      t: 2,
      purpose: 'probe:x',
    });
    const s1 = sessions[0]!;
    await s1.register();
    const content = { session: session.bytes, identities: sessions.map((s) => s.node.bytes) };
    const reply = await s1.api.dkgStart((await s1.request({ type: 'dkg/start', content, sealed: false })).bytes);
    expect(reply.phase).toBe('round1');
    expect(await dkgOf(nodes[0]!, 'probe').get(session.cid)).toBeUndefined();
  }, 60_000);
});
