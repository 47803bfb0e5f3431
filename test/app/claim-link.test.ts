/**
 * The claim by sign-in's pieces that need no browser (src/app/claim/): the claim link read back as written and
 * refused when a part is missing or wrong; the PKCE pair (RFC 7636: a 43-character verifier, its S256 challenge)
 * and `state` fresh each time; the authorization request's parameters; the refusals in plain words.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { type Claim, claimLink, claimOf } from '../../src/app/claim/claim-link.ts';
import { newPkce, newState } from '../../src/app/claim/pkce.ts';
import { authorizationUrl } from '../../src/app/claim/provider.ts';
import { claimRefusal } from '../../src/app/claim/refusal.ts';
import { toBase64Url } from '../../src/core/bytes.ts';

const NODE_A = 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje';
const NODE_B = 'bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
const ORDER = 'bafyreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq';

const CLAIM: Claim = {
  kind: 'custody',
  issuer: 'https://accounts.example.org',
  group: ORDER,
  holders: [
    { url: 'http://127.0.0.1:5556', identity: NODE_A, order: ORDER },
    { url: 'https://node.example.net/dta', identity: NODE_B, order: ORDER },
  ],
};

const queryOf = (link: string) => new URLSearchParams(new URL(link).hash.split('?')[1]);

describe('the claim link', () => {
  it('is read back as it was written, nodes in their order', () => {
    const link = claimLink(CLAIM, 'http://localhost:5556/');
    expect(link.startsWith('http://localhost:5556/#/claim?')).toBe(true);
    expect(claimOf(queryOf(link))).toEqual(CLAIM);
  });

  it('is refused when a node lacks its identity or order, or a part is not what it must be', () => {
    const q = queryOf(claimLink(CLAIM, 'http://localhost/'));
    const without = (key: string) => {
      const copy = new URLSearchParams(q);
      const kept = copy.getAll(key).slice(1);
      copy.delete(key);
      for (const v of kept) copy.append(key, v);
      return copy;
    };
    const changed = (key: string, value: string) => {
      const copy = new URLSearchParams(q);
      copy.set(key, value);
      return copy;
    };
    expect(() => claimOf(without('nid'))).toThrow(/every node its identity and order/);
    expect(() => claimOf(without('order'))).toThrow(/every node its identity and order/);
    expect(() => claimOf(changed('kind', 'bitcoin'))).toThrow(/no kind of order/);
    expect(() => claimOf(changed('issuer', 'javascript:alert(1)'))).toThrow(/provider is not an http/);
    expect(() => claimOf(changed('group', 'not-a-cid'))).toThrow(/group is not a CID/);
    expect(() => claimOf(new URLSearchParams({ kind: 'safeguard', issuer: CLAIM.issuer }))).toThrow(/names no node/);
    const twoForSafeguard = changed('kind', 'safeguard');
    expect(() => claimOf(twoForSafeguard)).toThrow(/one node/);
  });
});

describe('a sign-in request', () => {
  it('has a fresh 43-character verifier, its S256 challenge, and a fresh state', async () => {
    const a = await newPkce();
    const b = await newPkce();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).toBe(toBase64Url(sha256(new TextEncoder().encode(a.verifier))));
    expect(b.verifier).not.toBe(a.verifier);
    expect(newState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newState()).not.toBe(newState());
  });

  it('asks for a code with PKCE S256, the nonce and state, back to the app', () => {
    const url = new URL(
      authorizationUrl('https://accounts.example.org/auth?prompt=login', {
        clientId: 'dta-app',
        redirectUri: 'http://localhost:5556/',
        state: 'the-state',
        nonce: 'the-nonce',
        challenge: 'the-challenge',
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      prompt: 'login',
      response_type: 'code',
      client_id: 'dta-app',
      redirect_uri: 'http://localhost:5556/',
      scope: 'openid email',
      state: 'the-state',
      nonce: 'the-nonce',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
    });
  });
});

describe('a refusal in plain words', () => {
  it('says who signed in when the secret is for another account', () => {
    const problem = { code: 'oidc_wrong_subject', message: 'the token is for another subject' };
    expect(claimRefusal(problem, 'bob@example.org')).toBe(
      'You signed in as bob@example.org; this secret is for another account. Nothing was released.',
    );
    expect(claimRefusal(problem, undefined)).toMatch(/^You signed in with another account; this secret is for another/);
  });

  it("titles the node's other codes and keeps its own words (the date of a condition not met)", () => {
    const expired = claimRefusal({ code: 'oidc_expired', message: 'the ID token expired' }, 'alice');
    expect(expired).toBe('The sign-in has expired: sign in again: the ID token expired');
    const untrusted = claimRefusal({ code: 'untrusted_issuer', message: 'not trusted here' }, undefined);
    expect(untrusted).toMatch(/^The node does not trust this provider: /);
    const notYet = claimRefusal({ code: 'condition_not_met', message: 'not before 2027-03-03T00:00:00.000Z' }, 'a');
    expect(notYet).toMatch(/^Not yet: not before .*2027/);
  });
});
