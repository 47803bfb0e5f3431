// A custody secret released to whoever signs in at an OpenID Connect provider (issue 15), with three real nodes in
// this process and a real provider on loopback (test/support/oidc-provider.ts): the beneficiary has no dta key; a
// fresh identity and one sign-in, whose binding lists all three nodes, recover the 2-of-3 secret. The same token
// in the hands of another key is refused, as is a redemption while the provider's discovery is down. And a
// safeguard order at one of the nodes, released the same way by subject.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { type OidcBindingEntry, oidcNonce, oidcRedeemContent } from '../../src/core/protocol/oidc-nonce.ts';
import type { Core } from '../../src/core/types.ts';
import type { CustodyDeal } from '../../src/plugins/custody/deal.ts';
import { custodyOrder } from '../../src/plugins/custody/order.ts';
import { custodyRetrieve } from '../../src/plugins/custody/retrieve.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { verifyRedeemReply } from '../../src/plugins/safeguard/reply.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const N = 3;
const T = 2;
const SECRET = utf8('the family photos key: released to Bob when he signs in');

let core: Core;
let provider: TestProvider;
let tmp: { dir: string; cleanup: () => Promise<void> };
let nodes: RunningNode[] = [];
let alice: KeyIdentity;
let deal: CustodyDeal;
let orders: string[];
let binding: OidcBindingEntry[];
/** The nodes' clock runs this far ahead of the real one (their injectable clock: no waiting for a token to expire). */
let skewMs = 0;

/** Sessions with every node as `me` (a fresh identity registers itself at each on its first step). */
const sessionsAs = (me: KeyIdentity): Promise<NodeSession[]> =>
  Promise.all(nodes.map((n) => clientOf(n.url, me, { registerFirst: true })));
const holdersAs = async (me: KeyIdentity) =>
  (await sessionsAs(me)).map((session, i) => ({ session, order: orders[i]! }));

/** The code a redeem at node `i` as `me` with `content` is refused with. */
async function refusedCode(i: number, me: KeyIdentity, content: unknown): Promise<{ status: number; code: string }> {
  const session = await clientOf(nodes[i]!.url, me, { registerFirst: true });
  try {
    await session.redeem('custody', orders[i]!, content);
  } catch (e) {
    if (e instanceof NodeApiError) return { status: e.status, code: e.code };
    throw e;
  }
  throw new Error('the redeem was not refused');
}

const statusAt = async (i: number): Promise<string> => {
  const res = await fetch(`${nodes[i]!.url}/v1/orders/${orders[i]}`);
  return ((await res.json()) as { order: { status: string } }).order.status;
};

beforeAll(async () => {
  core = await sharedCore();
  provider = await startTestProvider();
  tmp = await tempDir('dta-oidc-custody-');
  const oidc = { issuers: [{ issuer: provider.issuer, clientId: provider.clientId, name: 'Test provider' }] };
  const homes = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      makeHome(join(tmp.dir, `node${i + 1}`), {
        name: `node ${i + 1}`,
        config: { plugins: ['custody', 'safeguard'], oidc },
      }),
    ),
  );
  nodes = await Promise.all(homes.map((home) => startInProcess(home, { now: () => Date.now() + skewMs })));
  alice = await clientIdentity('alice (principal)');
  const conditions = { oidc: { issuer: provider.issuer, email: 'bob@example.org' } };
  const sign = (m: Uint8Array) => core.bls.sign(alice.secrets.bls, m);
  const input = { secret: SECRET, beneficiary: alice.identity, t: T, conditions };
  const placed = await custodyOrder(core, await sessionsAs(alice), sign, input);
  deal = placed.deal;
  orders = placed.placed.map((p) => p.order);
  binding = nodes.map((n, i) => ({ node: n.rt.identity.cid, order: orders[i]! }));
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await provider?.close();
  await tmp?.cleanup();
});

describe('custody released to an OpenID Connect identity', () => {
  it('lists the trusted issuer for the app', async () => {
    const res = await fetch(`${nodes[0]!.url}/v1/oidc/issuers`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      issuers: [{ issuer: provider.issuer, clientId: provider.clientId, name: 'Test provider' }],
    });
  });

  it('refuses a redeem without a sign-in, naming the issuer', async () => {
    const stranger = await clientIdentity('stranger');
    const session = await clientOf(nodes[0]!.url, stranger, { registerFirst: true });
    const refused = await session.redeem('custody', orders[0]!, {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeApiError);
    expect(refused).toMatchObject({ status: 401, code: 'oidc_required' });
    expect((refused as Error).message).toContain(provider.issuer);
  });

  it("answers 503 oidc_unavailable while the issuer's discovery is down, and releases nothing", async () => {
    const redeemer = await clientIdentity('redeemer while down');
    const idToken = await provider.idTokenFor('bob', oidcNonce(redeemer.identity.cid, binding));
    provider.setAvailable(false);
    try {
      const refused = await refusedCode(1, redeemer, oidcRedeemContent(idToken, binding));
      expect(refused).toEqual({ status: 503, code: 'oidc_unavailable' });
    } finally {
      provider.setAvailable(true);
    }
    expect(await statusAt(1)).toBe('open');
  });

  it('refuses, releasing nothing: an expired token, another provider, a binding made for another node', async () => {
    const redeemer = await clientIdentity('redeemer with bad tokens');
    const content = (idToken: string, b = binding) => oidcRedeemContent(idToken, b);
    provider.setIdTokenTtl(60);
    const shortLived = await provider.idTokenFor('bob', oidcNonce(redeemer.identity.cid, binding)).finally(() => {
      provider.setIdTokenTtl(600);
    });
    skewMs = 120_000; // the nodes' clock two minutes ahead: past exp and its 30 s tolerance
    try {
      expect(await refusedCode(0, redeemer, content(shortLived))).toEqual({ status: 403, code: 'oidc_expired' });
    } finally {
      skewMs = 0;
    }
    const other = await startTestProvider();
    try {
      const foreign = await other.idTokenFor('bob', oidcNonce(redeemer.identity.cid, binding));
      expect(await refusedCode(0, redeemer, content(foreign))).toEqual({ status: 403, code: 'untrusted_issuer' });
    } finally {
      await other.close();
    }
    // Signed in for node 1 alone, then presented at node 2 (its own binding, as a node holding it could).
    const onlyNode1 = [binding[0]!];
    const forNode1 = await provider.idTokenFor('bob', oidcNonce(redeemer.identity.cid, onlyNode1));
    expect(await refusedCode(1, redeemer, content(forNode1, onlyNode1))).toEqual({
      status: 403,
      code: 'oidc_wrong_request',
    });
    expect(await Promise.all(nodes.map((_, i) => statusAt(i)))).toEqual(['open', 'open', 'open']);
  });

  it('a fresh key recovers the 2-of-3 secret with one sign-in; the token under another key is refused', async () => {
    const redeemer = await clientIdentity('fresh redeemer');
    const idToken = await provider.idTokenFor('bob', oidcNonce(redeemer.identity.cid, binding));
    const proof = oidcRedeemContent(idToken, binding).oidc;
    // Someone who copied the token (and its binding) redeems with their own key: the nonce names another redeemer.
    const thief = await clientIdentity('thief');
    expect(await refusedCode(0, thief, { oidc: proof })).toEqual({ status: 403, code: 'oidc_wrong_request' });
    expect(await statusAt(0)).toBe('open');
    // Nor does another account's sign-in for the same key do.
    const otherAccount = await provider.idTokenFor('alice', oidcNonce(redeemer.identity.cid, binding));
    expect(await refusedCode(0, redeemer, oidcRedeemContent(otherAccount, binding))).toEqual({
      status: 403,
      code: 'oidc_wrong_subject',
    });
    const got = await custodyRetrieve(core, await holdersAs(redeemer), { group: deal.group.cid, oidc: proof });
    expect(Buffer.from(got.secret).toString()).toBe(Buffer.from(SECRET).toString());
    expect(got.usedIndices).toHaveLength(T);
    expect(got.failed).toEqual([]);
    expect(await Promise.all(nodes.map((_, i) => statusAt(i)))).toEqual(['redeemed', 'redeemed', 'redeemed']);
    // After the release, the thief still learns nothing but the refusal of their proof.
    expect(await refusedCode(2, thief, { oidc: proof })).toEqual({ status: 403, code: 'oidc_wrong_request' });
  });

  it('releases a safeguard order by subject to a fresh key; the sign-in of another account is refused', async () => {
    const principal = await clientOf(nodes[2]!.url, alice, { registerFirst: true });
    const bob = provider.accounts.find((a) => a.username === 'bob')!;
    const secret = utf8('a safeguarded secret for whoever is bob-0002 at the provider');
    const conditions = { oidc: { issuer: provider.issuer, subject: bob.sub } };
    const placed = await orderSafeguardWith(principal, { beneficiary: alice.identity.cid, secret, conditions });
    const order = placed.reply.order;
    const redeemer = await clientIdentity('safeguard redeemer');
    const here = [{ node: nodes[2]!.rt.identity.cid, order }];
    const nonce = oidcNonce(redeemer.identity.cid, here);
    const session = await clientOf(nodes[2]!.url, redeemer, { registerFirst: true });
    const wrong = await session
      .redeem('safeguard', order, oidcRedeemContent(await provider.idTokenFor('alice', nonce), here))
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 403, code: 'oidc_wrong_subject' });
    const step = await session.redeem(
      'safeguard',
      order,
      oidcRedeemContent(await provider.idTokenFor(bob, nonce), here),
    );
    expect(Buffer.from(verifyRedeemReply(step.content, order)).toString()).toBe(Buffer.from(secret).toString());
  });
});
