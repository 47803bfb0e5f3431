/**
 * The app worker's redemption by OpenID Connect sign-in (src/worker/api/oidc-redeem.ts) against a real node and a
 * real provider (test/support/oidc-provider.ts), in Node over fake-indexeddb: a safeguarded secret ordered "for
 * whoever signs in as alice@example.org". A fresh redeemer is made and registered per claim; Bob's token (his own
 * account, the right nonce) gets nothing, the node's code reported and the pending redemption kept for another try;
 * signed in again for that claim (the same key, a new state and verifier), Alice's token gets the secret and the
 * pending redemption is gone; after the release another account still hears it is not for it. The browser's redirect flow and custody are
 * test/e2e/oidc.e2e.ts; the node's refusals one by one are test/node/oidc-*.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import { printableText, toBase64Url, utf8 } from '../../src/core/bytes.ts';
import { safeguardOrderContent } from '../../src/plugins/safeguard/order.ts';
import { type OidcApi, oidcApi } from '../../src/worker/api/oidc-redeem.ts';
import { pendingStore } from '../../src/worker/oidc/pending-store.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from '../node/harness.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';

const SECRET = 'the key is under the third stone';
const cleanups: Array<() => Promise<void>> = [];
let provider: TestProvider;
let node: RunningNode;
let paul: NodeSession;
let order: string;
let api: OidcApi;

beforeAll(async () => {
  provider = await startTestProvider();
  cleanups.push(() => provider.close());
  const t = await tempDir('dta-app-oidc-');
  cleanups.push(t.cleanup);
  const oidc = { issuers: [{ issuer: provider.issuer, clientId: provider.clientId, name: 'Test Provider' }] };
  node = await startInProcess(await makeHome(t.dir, { name: 'fiduciary', config: { oidc } }));
  cleanups.push(() => node.close());
  const me = await clientIdentity('paul');
  paul = await clientOf(node.url, me, { registerFirst: true });
  // The beneficiary is the principal itself: the person entitled is whoever proves the email at the provider.
  const content = await safeguardOrderContent(paul.me, paul.node, {
    beneficiary: me.identity.cid,
    secret: utf8(SECRET),
  });
  const conditions = { oidc: { issuer: provider.issuer, email: 'alice@example.org' } };
  const step = await paul.order('safeguard', { ...content, conditions }, { intentFor: me.identity });
  order = step.request.cid.toString();
  api = oidcApi({ core: await sharedCore(), store: pendingStore('oidc-claim-test') });
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const newState = () => toBase64Url(crypto.getRandomValues(new Uint8Array(16)));

/** Starts a sign-in for the order: the redeemer made and registered, the pending redemption kept; its nonce. */
const holders = () => [{ url: node.url, identity: node.rt.identity.cid.toString(), order }];

async function begin(state: string): Promise<string> {
  const registered: string[] = [];
  const { nonce } = await api.begin(
    {
      state,
      kind: 'safeguard',
      issuer: provider.issuer,
      clientId: provider.clientId,
      redirectUri: provider.redirectUris[0]!,
      verifier: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
      holders: holders(),
    },
    (p) => registered.push(p.state),
  );
  expect(registered).toEqual(['registered']);
  return nonce;
}

describe('a safeguarded secret for whoever signs in as alice@example.org', () => {
  let kept: { state: string; nonce: string };

  it("Bob's own sign-in gets nothing: the node's code is reported and the claim kept for another try", async () => {
    const state = newState();
    const nonce = await begin(state);
    const idToken = await provider.idTokenFor('bob', nonce);
    const got = await api.redeem({ state, idToken });
    expect(got.secret).toBeUndefined();
    expect(got.problem?.code).toBe('oidc_wrong_subject');
    expect(got.nodes).toEqual([
      expect.objectContaining({ node: node.rt.identity.cid.toString(), state: 'failed', code: 'oidc_wrong_subject' }),
    ]);
    expect(await api.pending(state)).toBeDefined();
    // Opening the claim link again on this device continues this claim (with its key), not a new one.
    expect(await api.earlier(holders())).toBe(state);
    expect(await api.earlier([{ ...holders()[0]!, order: node.rt.identity.cid.toString() }])).toBeUndefined();
    expect((await paul.api.order(order)).order.status).toBe('open');
    kept = { state, nonce };
  });

  it('signed in again for the same claim (its key kept, a new state), Alice gets the secret; the claim is gone', async () => {
    const state = newState();
    const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const { nonce } = await api.renew({ from: kept.state, to: state, verifier });
    expect(nonce).toBe(kept.nonce); // the same redeemer and binding
    expect(await api.pending(kept.state)).toBeUndefined();
    expect((await api.pending(state))?.verifier).toBe(verifier);
    const idToken = await provider.idTokenFor('alice', nonce);
    const heard: string[] = [];
    const got = await api.redeem({ state, idToken }, (p) => heard.push(p.state));
    expect(got.problem).toBeUndefined();
    expect(printableText(got.secret!)).toBe(SECRET);
    expect(heard).toEqual(['asked', 'good']);
    expect(got.nodes).toEqual([{ node: node.rt.identity.cid.toString(), state: 'good' }]);
    expect(await api.pending(state)).toBeUndefined();
    const view = await paul.api.order(order);
    expect(view.order.status).toBe('redeemed');
    // The redemption was made by the claim's fresh identity, not by the principal, and released to it alone.
    const redeem = view.history.find((h) => h.type === 'safeguard/redeem');
    const reply = view.history.find((h) => h.type === 'safeguard/redeem-reply');
    expect(redeem?.sender).toMatch(/^bafy/);
    expect(redeem?.sender).not.toBe(paul.me.identity.cid.toString());
    expect(reply?.recipients).toEqual([redeem?.sender]);
  });

  it('once released, another account still hears that the secret is not for it; cancelling forgets the claim', async () => {
    const state = newState();
    const idToken = await provider.idTokenFor('bob', await begin(state));
    const got = await api.redeem({ state, idToken });
    expect(got.secret).toBeUndefined();
    expect(got.problem?.code).toBe('oidc_wrong_subject');
    await api.cancel(state);
    expect(await api.pending(state)).toBeUndefined();
  });
});
