// Three nodes, each with its own home, keystore and Helia: a principal, a fiduciary and a beneficiary. The
// principal and the beneficiary are configured with the fiduciary as their only libp2p peer and are never
// registered with it: the fiduciary resolves their identity documents over bitswap. The principal deposits a
// secret for the beneficiary; the beneficiary fetches and verifies the order chain from its own Helia, redeems,
// and checks the secret against the commitment it was shown; the principal sees the whole chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import { decodeEnvelope, openEnvelope, verifyEnvelope } from '../../src/core/protocol/index.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import {
  chainSeenBy,
  clientIdentity,
  clientOf,
  type RunningNode,
  sharedCore,
  startThreeNodes,
  tempDir,
} from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let principal: RunningNode, fiduciary: RunningNode, beneficiary: RunningNode;
let p: NodeSession, b: NodeSession;

beforeAll(async () => {
  tmp = await tempDir();
  ({ principal, fiduciary, beneficiary } = await startThreeNodes(tmp.dir, { beneficiaryOverWebSockets: true }));
  p = await clientOf(fiduciary.url, principal.self);
  b = await clientOf(fiduciary.url, beneficiary.self);
});

afterAll(async () => {
  for (const n of [principal, beneficiary, fiduciary]) await n?.close();
  await tmp?.cleanup();
});

describe('principal, fiduciary and beneficiary nodes', () => {
  it('each node has its own identity, store and peer id; only the configured peers are connected', async () => {
    const ids = [principal, fiduciary, beneficiary].map((n) => n.rt.identity.cid.toString());
    expect(new Set(ids).size).toBe(3);
    expect(principal.rt.blocks.peers()).toEqual([fiduciary.rt.blocks.addresses()[0]!.split('/p2p/')[1]]);
    expect(await fiduciary.rt.identities.isRegistered(beneficiary.rt.identity.cid)).toBe(false);
    for (const n of [principal, fiduciary, beneficiary]) {
      expect(n.rt.blocks.addresses().every((a) => a.startsWith('/ip4/127.0.0.1/'))).toBe(true);
    }
  });

  it('complete the safeguard flow end to end, every step verified from each side', async () => {
    const secret = new TextEncoder().encode('the launch codes are 0000');
    // 1. the principal deposits; the fiduciary resolves both identities over bitswap
    const ordered = await orderSafeguardWith(p, { beneficiary: beneficiary.rt.identity.cid, secret });
    const shown = ordered.content as { order: string; commitment: Uint8Array; size: number };
    expect(shown.size).toBe(secret.length);
    expect(await fiduciary.rt.identities.isRegistered(principal.rt.identity.cid)).toBe(false);

    // 2. the beneficiary, told the order id, verifies the chain from its own Helia and reads the reply sealed to it
    const seen = await chainSeenBy(beneficiary, ordered.reply.cid);
    expect(seen.map((s) => s.value.header.type)).toEqual(['safeguard/order', 'safeguard/order-reply']);
    expect(seen[0]!.sender.cid.equals(principal.rt.identity.cid)).toBe(true);
    expect(seen[1]!.sender.cid.equals(fiduciary.rt.identity.cid)).toBe(true);
    const forMe = openEnvelope(seen[1]!, {
      cid: beneficiary.rt.identity.cid,
      xwing: beneficiary.rt.home.secrets.xwing,
    }) as { commitment: Uint8Array };
    expect(Buffer.from(forMe.commitment).equals(Buffer.from(shown.commitment))).toBe(true);
    // the order (the principal's intent) is sealed to the beneficiary too; the deposit inside it to the fiduciary alone
    const mine = { cid: beneficiary.rt.identity.cid, xwing: beneficiary.rt.home.secrets.xwing };
    const { deposit } = openEnvelope(seen[0]!, mine) as { deposit: Uint8Array };
    const part = await verifyEnvelope((await sharedCore()).bls, decodeEnvelope(deposit), principal.rt.identity);
    expect(() => openEnvelope(part, mine)).toThrow(/not addressed/);

    // 3. the beneficiary redeems and checks what it gets against the commitment
    const redeemed = await b.redeem('safeguard', ordered.reply.order);
    const got = redeemed.content as { secret: Uint8Array; commitment: Uint8Array };
    expect(Buffer.from(got.secret).equals(Buffer.from(secret))).toBe(true);
    expect(Buffer.from(got.commitment).equals(Buffer.from(shown.commitment))).toBe(true);

    // 4. the principal verifies the final chain over the network: four steps, the last one not readable by it
    const final = await chainSeenBy(principal, redeemed.reply.cid);
    expect(final.map((s) => s.value.header.type)).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
    expect(final[2]!.sender.cid.equals(beneficiary.rt.identity.cid)).toBe(true);
    expect(() =>
      openEnvelope(final[3]!, { cid: principal.rt.identity.cid, xwing: principal.rt.home.secrets.xwing }),
    ).toThrow();
    expect((await p.api.order(ordered.reply.order)).order.status).toBe('redeemed');
  });

  it('a generated secret reaches the beneficiary and nobody else', async () => {
    const ordered = await orderSafeguardWith(p, { beneficiary: beneficiary.rt.identity.cid, generate: 32 });
    expect(ordered.content).not.toHaveProperty('secret');
    await expect(p.redeem('safeguard', ordered.reply.order)).rejects.toMatchObject({ code: 'not_beneficiary' });
    const got = (await b.redeem('safeguard', ordered.reply.order)).content as { secret: Uint8Array };
    expect(got.secret.length).toBe(32);
  });

  it('an identity that no peer has is unknown (bounded wait), and the node keeps serving', async () => {
    const stranger = await clientIdentity('stranger');
    const c = await clientOf(fiduciary.url, stranger);
    const t = Date.now();
    await expect(
      orderSafeguardWith(c, { beneficiary: beneficiary.rt.identity.cid, secret: new Uint8Array([1]) }),
    ).rejects.toMatchObject({ status: 401, code: 'unknown_identity' });
    expect(Date.now() - t).toBeLessThan(5000);
    expect((await fetch(`${fiduciary.url}/v1/status`)).status).toBe(200);
  });
});
