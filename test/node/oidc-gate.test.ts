// The node's OpenID Connect gate (src/node/oidc/) against a real identity provider (oidc-provider on loopback,
// test/support/oidc-provider.ts): the tokens are the provider's own, obtained by signing in with its login form;
// forged ones are signed with a second provider's key. Each refusal has its code; the node's clock is the `now`
// given to verify, so an expired token needs no waiting.
import { decodeJwt } from 'jose';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cidOf, encode } from '../../src/core/protocol/cbor.ts';
import { type OidcBindingEntry, oidcNonce, oidcRedeemContent } from '../../src/core/protocol/oidc-nonce.ts';
import { ConfigError, parseFileConfig } from '../../src/node/config.ts';
import { OidcVerifier } from '../../src/node/oidc/gate.ts';
import type { OidcSettings } from '../../src/node/oidc/settings.ts';
import type { OidcCondition } from '../../src/node/oidc/types.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';

/** Stand-ins for identity CIDs: the gate only compares them and hashes them into the nonce. */
const cidNamed = (name: string): CID => cidOf(encode({ test: name }));
const node = cidNamed('this node');
const otherNode = cidNamed('another node');
const redeemer = cidNamed('the fresh redeemer');
const otherRedeemer = cidNamed('someone else');
const order = cidNamed('the order').toString();
const otherOrder = cidNamed('another order').toString();

let trusted: TestProvider;
let untrusted: TestProvider;
let gate: OidcVerifier;
let settings: OidcSettings;

beforeAll(async () => {
  [trusted, untrusted] = await Promise.all([startTestProvider(), startTestProvider()]);
  settings = { issuers: [{ issuer: trusted.issuer, clientId: trusted.clientId, name: 'Test provider' }] };
  gate = new OidcVerifier(settings, node);
});
afterAll(async () => {
  await Promise.all([trusted?.close(), untrusted?.close()]);
});

const bySubject = (): OidcCondition => ({ issuer: trusted.issuer, subject: trusted.accounts[0]!.sub });
const byEmail = (email: string): OidcCondition => ({ issuer: trusted.issuer, email });
const bindingOf = (...entries: [CID, string][]): OidcBindingEntry[] => entries.map(([n, o]) => ({ node: n, order: o }));
const here = bindingOf([otherNode, otherOrder], [node, order]);

/** A sign-in at `provider` as `username` for `who` redeeming at `binding`: the redeem content it gives. */
async function signIn(provider: TestProvider, username: string, binding = here, who = redeemer) {
  const idToken = await provider.idTokenFor(username, oidcNonce(who, binding));
  return oidcRedeemContent(idToken, binding).oidc;
}

/** The code and status a verification is refused with (undefined when it passes). */
async function refusal(
  condition: OidcCondition,
  proof: unknown,
  options: { redeemer?: CID; order?: string; now?: number; verifier?: OidcVerifier } = {},
) {
  try {
    const v = options.verifier ?? gate;
    await v.verify(condition, proof, options.redeemer ?? redeemer, options.order ?? order, options.now ?? Date.now());
    return undefined;
  } catch (e) {
    const { code, status, message } = e as { code: string; status: number; message: string };
    return { code, status, message };
  }
}

describe('the OpenID Connect gate with a real provider', () => {
  it('accepts a token of the subject, signed in for this redeemer at this node and order', async () => {
    const proof = await signIn(trusted, 'alice');
    expect(decodeJwt(proof.idToken).iss).toBe(trusted.issuer);
    expect(await refusal(bySubject(), proof)).toBeUndefined();
  });

  it('accepts a verified email, compared without regard to ASCII case', async () => {
    const proof = await signIn(trusted, 'alice');
    expect(await refusal(byEmail('alice@EXAMPLE.org'), proof)).toBeUndefined();
  });

  it('refuses another subject, another email, and an email the provider has not verified', async () => {
    expect(await refusal(bySubject(), await signIn(trusted, 'bob'))).toMatchObject({
      code: 'oidc_wrong_subject',
      status: 403,
    });
    expect(await refusal(byEmail('alice@example.org'), await signIn(trusted, 'bob'))).toMatchObject({
      code: 'oidc_wrong_subject',
    });
    const carol = trusted.accounts.find((a) => a.username === 'carol')!;
    expect(carol.emailVerified).toBe(false);
    const refused = await refusal(byEmail(carol.email), await signIn(trusted, 'carol'));
    expect(refused).toMatchObject({ code: 'oidc_wrong_subject', status: 403 });
    expect(refused?.message).toMatch(/not verified/);
  });

  it("refuses an expired token by the node's clock, and takes it within the 30 s tolerance", async () => {
    trusted.setIdTokenTtl(60);
    let proof: Awaited<ReturnType<typeof signIn>>;
    try {
      proof = await signIn(trusted, 'alice');
    } finally {
      trusted.setIdTokenTtl(600);
    }
    const exp = decodeJwt(proof.idToken).exp! * 1000;
    expect(await refusal(bySubject(), proof, { now: exp + 20_000 })).toBeUndefined();
    expect(await refusal(bySubject(), proof, { now: exp + 31_000 })).toMatchObject({
      code: 'oidc_expired',
      status: 403,
    });
  });

  it('refuses a token of a provider this node does not trust', async () => {
    const refused = await refusal(bySubject(), await signIn(untrusted, 'alice'));
    expect(refused).toMatchObject({ code: 'untrusted_issuer', status: 403 });
    // Nor an order naming it: refused at order time (400).
    expect(() => gate.assertTrusted({ issuer: untrusted.issuer, subject: 'alice-0001' })).toThrow(
      expect.objectContaining({ code: 'untrusted_issuer', status: 400 }),
    );
    expect(() => gate.assertTrusted(bySubject())).not.toThrow();
  });

  it("refuses tokens signed by another key in the trusted issuer's name, or with a payload changed", async () => {
    const good = decodeJwt((await signIn(trusted, 'alice')).idToken);
    const forged = await untrusted.signToken({ ...good, iss: trusted.issuer });
    expect(await refusal(bySubject(), oidcRedeemContent(forged, here).oidc)).toMatchObject({
      code: 'oidc_invalid',
      status: 403,
    });
    // The trusted token's header and signature over a payload naming another subject.
    const bob = (await signIn(trusted, 'bob')).idToken.split('.');
    const alicePayload = (await signIn(trusted, 'alice')).idToken.split('.')[1];
    const spliced = [bob[0], alicePayload, bob[2]].join('.');
    const refused = await refusal(bySubject(), oidcRedeemContent(spliced, here).oidc);
    expect(refused).toMatchObject({ code: 'oidc_invalid' });
    expect(refused?.message).toMatch(/signature/);
  });

  it('refuses a token for another client (audience) and what is not a JWT', async () => {
    const good = decodeJwt((await signIn(trusted, 'alice')).idToken);
    const otherAudience = await trusted.signToken({ ...good, aud: 'another-app' });
    expect(await refusal(bySubject(), oidcRedeemContent(otherAudience, here).oidc)).toMatchObject({
      code: 'oidc_invalid',
    });
    expect(await refusal(bySubject(), oidcRedeemContent('not.a-jwt', here).oidc)).toMatchObject({
      code: 'oidc_invalid',
    });
  });

  it("refuses a token whose nonce binds another redeemer: a token taken from a request is no one else's", async () => {
    const proof = await signIn(trusted, 'alice', here, otherRedeemer);
    expect(await refusal(bySubject(), proof)).toMatchObject({ code: 'oidc_wrong_request', status: 403 });
    // The binding changed after the sign-in (this node added to it) no longer matches the nonce either.
    const elsewhere = await signIn(trusted, 'alice', bindingOf([otherNode, order]));
    expect(await refusal(bySubject(), { ...elsewhere, binding: here })).toMatchObject({ code: 'oidc_wrong_request' });
    const noNonce = await trusted.signToken({ ...decodeJwt(proof.idToken), nonce: undefined });
    expect(await refusal(bySubject(), oidcRedeemContent(noNonce, here).oidc)).toMatchObject({
      code: 'oidc_wrong_request',
    });
  });

  it('refuses a token replayed to a node or an order its binding does not list', async () => {
    const proof = await signIn(trusted, 'alice', bindingOf([otherNode, order], [node, otherOrder]));
    expect(await refusal(bySubject(), proof)).toMatchObject({ code: 'oidc_wrong_request', status: 403 });
    // The same token at the node and order it was made for passes.
    expect(await refusal(bySubject(), proof, { order: otherOrder })).toBeUndefined();
  });

  it('refuses a proof of the wrong shape as malformed', async () => {
    const proof = await signIn(trusted, 'alice');
    expect(await refusal(bySubject(), undefined)).toMatchObject({ code: 'malformed', status: 400 });
    expect(await refusal(bySubject(), { ...proof, binding: [] })).toMatchObject({ code: 'malformed' });
    expect(await refusal(bySubject(), { ...proof, extra: 1 })).toMatchObject({ code: 'malformed' });
    expect(await refusal(bySubject(), { ...proof, idToken: 'x'.repeat(16 * 1024 + 1) })).toMatchObject({
      code: 'malformed',
    });
  });

  it('answers 503 oidc_unavailable, with a time to retry, while the provider is down', async () => {
    const proof = await signIn(trusted, 'alice');
    const fresh = new OidcVerifier(settings, node); // nothing cached yet
    trusted.setAvailable(false);
    try {
      const refused = await refusal(bySubject(), proof, { verifier: fresh });
      expect(refused).toMatchObject({ code: 'oidc_unavailable', status: 503 });
    } finally {
      trusted.setAvailable(true);
    }
    expect(await refusal(bySubject(), proof, { verifier: fresh })).toBeUndefined();
  });

  it('never echoes the token in a refusal', async () => {
    const proof = await signIn(trusted, 'bob');
    const refused = await refusal(bySubject(), proof);
    expect(refused?.code).toBe('oidc_wrong_subject');
    for (const part of proof.idToken.split('.')) expect(refused?.message).not.toContain(part);
    expect(refused?.message).not.toContain('bob');
  });
});

describe('the oidc key of config.json', () => {
  const parse = (oidc: unknown) => parseFileConfig(JSON.stringify({ oidc }), 'config.json').oidc;
  const entry = { issuer: 'https://accounts.example.org', clientId: 'dta-app', name: 'Example' };

  it('takes https issuers, and http ones on loopback only', () => {
    expect(parse({ issuers: [entry] })).toEqual({ issuers: [entry] });
    const local = { ...entry, issuer: 'http://127.0.0.1:9000' };
    expect(parse({ issuers: [local] })).toEqual({ issuers: [local] });
    expect(() => parse({ issuers: [{ ...entry, issuer: 'http://accounts.example.org' }] })).toThrow(
      new ConfigError('config.json: "oidc.issuers[0].issuer": not an https:// issuer URL (http:// on loopback)'),
    );
  });

  it('names the bad field: a missing client id, an unknown key, an issuer twice', () => {
    const { clientId: _, ...noClient } = entry;
    expect(() => parse({ issuers: [noClient] })).toThrow(/"oidc.issuers\[0\]": missing field "clientId"/);
    expect(() => parse({ issuers: [{ ...entry, secret: 'x' }] })).toThrow(/unknown field "secret"/);
    expect(() => parse({ issuers: [entry, entry] })).toThrow(/an issuer is listed twice/);
    expect(() => parse({ issuers: [{ ...entry, issuer: 'https://a.example/#x' }] })).toThrow(ConfigError);
  });
});
