/**
 * The claim by sign-in, on the page: before the redirect, the worker makes and registers the redeemer and gives
 * the nonce, and the page goes to the provider's authorization endpoint (code flow, PKCE S256, `state`); back at
 * the app, the answer's `state` must name a sign-in the worker keeps, the code is exchanged at the provider's token
 * endpoint (public client), and the worker redeems at every node with the ID token. The ID token passes through the
 * page (the token endpoint answers the page); its claims are read here only to say who signed in.
 * @module
 */
import * as Comlink from 'comlink';
import { decodeJwt } from 'jose';
import type { OidcProgress, OidcRedeemed, PendingFacts } from '../../worker/api/oidc-redeem.ts';
import type { RemoteAppApi } from '../../worker/app-worker-client.ts';
import type { Claim } from './claim-link.ts';
import type { TrustedIssuer } from './issuers.ts';
import { newPkce, newState } from './pkce.ts';
import { authorizationUrl, discover, exchangeCode, SignInError } from './provider.ts';
import type { SignInReturn } from './sign-in-return.ts';

/** The provider sends the person back to this very app: its address without the route. */
function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

/**
 * Prepares the redemption in the worker (progress per node) and returns where to sign in. A claim of the same nodes
 * and orders begun on this device before and not finished is continued, with its key: a node that released to it
 * already (the tab was closed before the secret showed) is read back, not asked again by a key it does not know.
 */
export async function startSignIn(
  api: RemoteAppApi,
  claim: Claim,
  trusted: TrustedIssuer,
  onProgress: (p: OidcProgress) => void,
): Promise<string> {
  const endpoints = await discover(claim.issuer);
  const [pkce, state] = [await newPkce(), newState()];
  const earlier = await api.oidc.earlier(claim.holders);
  if (earlier !== undefined) {
    const { nonce } = await api.oidc.renew({ from: earlier, to: state, verifier: pkce.verifier });
    const facts = await api.oidc.pending(state);
    const again = { clientId: facts?.clientId ?? trusted.clientId, state, nonce, challenge: pkce.challenge };
    return authorizationUrl(endpoints.authorization, { ...again, redirectUri: facts?.redirectUri ?? redirectUri() });
  }
  const facts = {
    kind: claim.kind,
    issuer: claim.issuer,
    clientId: trusted.clientId,
    redirectUri: redirectUri(),
    verifier: pkce.verifier,
    holders: claim.holders,
    ...(claim.group ? { group: claim.group } : {}),
  };
  const { nonce } = await api.oidc.begin({ state, ...facts }, Comlink.proxy(onProgress));
  const request = { clientId: trusted.clientId, redirectUri: facts.redirectUri, state, nonce };
  return authorizationUrl(endpoints.authorization, { ...request, challenge: pkce.challenge });
}

/**
 * Where to sign in again for the same claim (its token expired, a node was down, another account is to be used):
 * the worker keeps the claim's key under a new `state` and verifier, so what nodes released to it already is kept.
 */
export async function signInAgain(api: RemoteAppApi, signedIn: SignedIn): Promise<string> {
  const { facts } = signedIn;
  const endpoints = await discover(facts.issuer);
  const [pkce, state] = [await newPkce(), newState()];
  const { nonce } = await api.oidc.renew({ from: signedIn.state, to: state, verifier: pkce.verifier });
  const request = { clientId: facts.clientId, redirectUri: facts.redirectUri, state, nonce };
  return authorizationUrl(endpoints.authorization, { ...request, challenge: pkce.challenge });
}

/** A sign-in back from the provider: its ID token, who it names, and what the redemption is for. */
export interface SignedIn {
  readonly state: string;
  readonly idToken: string;
  readonly signedInAs: string | undefined;
  readonly facts: PendingFacts;
}

/** Who the token says signed in (for the page to say; the nodes check the token itself). */
function whoIn(idToken: string): string | undefined {
  try {
    const claims = decodeJwt(idToken);
    const name = typeof claims.email === 'string' ? claims.email : claims.sub;
    return typeof name === 'string' ? name.slice(0, 254) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the provider's answer against the pending sign-in and exchanges its code for the ID token. */
export async function finishSignIn(api: RemoteAppApi, back: SignInReturn): Promise<SignedIn> {
  const facts = await api.oidc.pending(back.state);
  if (!facts) throw new SignInError('this app started no sign-in that this answer belongs to (or it is finished)');
  if (back.error !== undefined || back.code === undefined) {
    await api.oidc.cancel(back.state);
    throw new SignInError(
      back.error === 'access_denied' ? 'you cancelled the sign-in' : `the provider ended the sign-in (${back.error})`,
    );
  }
  if (back.iss !== undefined && back.iss !== facts.issuer) {
    throw new SignInError(`the answer comes from another provider (${back.iss}) than the one asked`);
  }
  const endpoints = await discover(facts.issuer);
  const idToken = await exchangeCode(endpoints.token, {
    clientId: facts.clientId,
    redirectUri: facts.redirectUri,
    code: back.code,
    verifier: facts.verifier,
  });
  return { state: back.state, idToken, signedInAs: whoIn(idToken), facts };
}

/** Redeems at every node as the sign-in's redeemer (progress per node); the secret, or why not. */
export function redeemSignedIn(
  api: RemoteAppApi,
  signedIn: SignedIn,
  onProgress: (p: OidcProgress) => void,
): Promise<OidcRedeemed> {
  return api.oidc.redeem({ state: signedIn.state, idToken: signedIn.idToken }, Comlink.proxy(onProgress));
}
