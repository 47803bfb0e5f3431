// The bitcoin plugin under kill -9 (real `dta serve` child processes, failpoints of src/node/failpoints.ts):
// the node draws and commits f for an order and dies before the order is written; restarted, the retried order
// answers with that same f (F read back from the keystore on disk matches the reply). It then dies right after
// releasing f to a redemption, before committing it; the retried redemption releases the same f, and the
// beneficiary's key is the one of the address shown at the start. One share in the keystore, ever.
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { decodeCommitted } from '../../src/node/plugins/bitcoin/fiduciary.ts';
import { generateShare, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { recoverPrivateKey, verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import { crashFiduciary, postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf, countOrders, PASS, sharedCore } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity;
let child: Child | undefined;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function serve(failpoint?: string): Promise<{ url: string; asAlice: NodeSession; asBob: NodeSession }> {
  child = await serveHome(home, failpoint);
  return { url: child.url, asAlice: await clientOf(child.url, alice), asBob: await clientOf(child.url, bob) };
}

const post = postEnvelope<StepReply>;

/** F of every share the bitcoin plugin committed, read from the keystore on disk, by order id. */
async function committedShares(): Promise<Map<string, string>> {
  const ks = await FileKeystore.open(homePaths(home).keystore, PASS);
  const out = new Map<string, string>();
  const shares = (await ks.list('bitcoin/')).filter((name) => !name.startsWith('bitcoin/key')); // not B's register
  for (const name of shares)
    out.set(name.slice('bitcoin/'.length), hex(publicKeyOf(decodeCommitted((await ks.get(name))!).share)));
  await ks.close();
  return out;
}

beforeAll(async () => {
  ({ tmp, home, alice, bob } = await crashFiduciary('dta-bitcoin-crash-', 'bitcoin'));
});

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('bitcoin: kill -9 the fiduciary between committing the share and answering', () => {
  it('a retried order and a retried redemption use the share drawn before the crash', async () => {
    const b = generateShare();
    // 1. f is drawn and committed to the keystore; the node dies before the order is written
    let node = await serve('order:after-plugin');
    const statement = await createKeyStatement((await sharedCore()).bls, bob.secrets.bls, bob.identity.cid, {
      network: 'testnet',
      beneficiaryPublicKey: publicKeyOf(b),
    });
    const order = await node.asAlice.request({
      type: 'bitcoin/order',
      content: { network: 'testnet', addressType: 'p2tr', beneficiaryKey: statement },
    });
    expect(await post(node.url, '/v1/orders', order.bytes)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');
    const drawn = (await committedShares()).get(order.cid.toString());
    expect(drawn).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(await countOrders(homePaths(home).orders)).toBe(0);

    // 2. restarted, the retry answers with F of the share drawn in step 1; the node dies releasing it to bob
    node = await serve('redeem:after-plugin');
    const first = await post(node.url, '/v1/orders', order.bytes);
    expect([first?.status, first?.json.replayed]).toEqual([201, false]);
    const shown = verifyOrderReply(await node.asAlice.openReply(first!.json, order.cid), {
      order: order.cid,
      beneficiaryPublicKey: publicKeyOf(b),
    });
    expect(hex(shown.fiduciaryPublicKey)).toBe(drawn);
    const redeem = await node.asBob.request({
      type: 'bitcoin/redeem',
      content: {},
      order: order.cid.toString(),
      previous: CID.parse(first!.json.cid),
    });
    expect(await post(node.url, `/v1/orders/${order.cid}/redeem`, redeem.bytes)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');

    // 3. restarted, the retried redemption releases that same f; f + b owns the address shown in step 2
    node = await serve();
    const redeemed = await post(node.url, `/v1/orders/${order.cid}/redeem`, redeem.bytes);
    expect([redeemed?.status, redeemed?.json.status]).toEqual([200, 'redeemed']);
    const key = recoverPrivateKey(shown, await node.asBob.openReply(redeemed!.json, redeem.cid), b);
    expect(key.address).toBe(shown.address);
    expect(key.address.startsWith('tb1p')).toBe(true);
    expect([...(await committedShares()).values()]).toEqual([drawn]);
    await child!.kill('SIGTERM');
  });
});
