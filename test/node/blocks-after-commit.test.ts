// An order's envelopes reach Helia after the order record and the reply (storage/block-queue.ts). A real
// `dta serve` child: another node fetches the reply block of a just-committed order over bitswap within a bounded
// wait; a node killed with SIGKILL right after a reply, or before it wrote any queued block (failpoint
// blocks:before-write), has every envelope of the committed order in Helia again once it restarts.
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { crashFiduciary, postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf, makeHome, type RunningNode, startInProcess } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity;
let child: Child | undefined;
let reader: RunningNode | undefined;

beforeAll(async () => {
  ({ tmp, home, alice, bob } = await crashFiduciary('dta-blocks-', 'safeguard'));
  reader = await startInProcess(await makeHome(`${tmp.dir}/reader`, { name: 'reader' }));
}, 60_000);

afterAll(async () => {
  await child?.kill();
  await reader?.close();
  await tmp?.cleanup();
});

/** A safeguard order from Alice to Bob, as a signed request envelope. */
async function orderRequest(url: string) {
  const asAlice = await clientOf(url, alice);
  return asAlice.request({
    type: 'safeguard/order',
    content: { beneficiary: bob.identity.cid, generate: 32 },
    intentFor: bob.identity,
  });
}

/** The node's libp2p TCP address, read from its status. */
async function libp2pAddress(url: string): Promise<string> {
  const status = (await (await fetch(`${url}/v1/status`)).json()) as { libp2p: string[] };
  return status.libp2p.find((a) => a.includes('/tcp/') && !a.includes('/ws'))!;
}

/** Every envelope of order `id` as the node at `home` has it in Helia after a restart (offline reads). */
async function envelopesInHeliaAfterRestart(id: string): Promise<{ inHelia: number; stored: number }> {
  const node = await startInProcess(home);
  try {
    const stored = await node.rt.orders.get(id);
    expect(stored).toBeDefined();
    let inHelia = 0;
    for (const [cid, bytes] of Object.entries(stored!.envelopes)) {
      const got = await node.rt.blocks.get(CID.parse(cid), { offline: true });
      if (got && Buffer.from(got).equals(Buffer.from(bytes))) inHelia++;
    }
    return { inHelia, stored: Object.keys(stored!.envelopes).length };
  } finally {
    await node.close();
  }
}

describe('order blocks written to Helia after the commit', () => {
  it('another node fetches the reply block of a just-committed order over bitswap; kill -9 after the reply loses none', async () => {
    child = await serveHome(home);
    await reader!.rt.blocks.dial(await libp2pAddress(child.url), 10_000);
    const request = await orderRequest(child.url);
    const reply = await postEnvelope<StepReply>(child.url, '/v1/orders', request.bytes);
    expect(reply?.status).toBe(201);
    const head = CID.parse(reply!.json.cid);
    const fetched = await reader!.rt.blocks.get(head, { timeoutMs: 10_000 });
    expect(fetched && toBase64(fetched)).toBe(reply!.json.envelope);

    // a second order, and the node killed the moment its reply arrives
    const second = await orderRequest(child.url);
    const answered = await postEnvelope<StepReply>(child.url, '/v1/orders', second.bytes);
    await child.kill();
    expect(answered?.status).toBe(201);
    const counts = await envelopesInHeliaAfterRestart(second.cid.toString());
    expect(counts).toEqual({ inHelia: 2, stored: 2 });
  }, 90_000);

  it('a node killed before it wrote any queued block has the committed order in Helia after restart', async () => {
    await child?.kill(); // if the test before failed with it running
    child = await serveHome(home, 'blocks:before-write');
    const request = await orderRequest(child.url);
    await postEnvelope<StepReply>(child.url, '/v1/orders', request.bytes); // may die before or after its reply
    expect(await child.exited).toBe('SIGKILL');
    const counts = await envelopesInHeliaAfterRestart(request.cid.toString());
    expect(counts).toEqual({ inHelia: 2, stored: 2 });
  }, 90_000);
});
