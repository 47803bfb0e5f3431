/**
 * The node's OpenID Connect gate (docs/protocol.md, "OpenID Connect beneficiaries"): at order time, whether an
 * `oidc` condition names an issuer this node trusts; at redeem time, whether the redeem's proof — an ID token and
 * the binding it was made for — shows that the request's sender signed in as the condition's subject or verified
 * email, for this node and this order. Each refusal is an ApiError with its own code; none echoes the token.
 * @module
 */
import { decodeJwt, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { CID } from 'multiformats/cid';
import { type OidcBindingEntry, type OidcProof, oidcNonce, oidcProof } from '../../core/protocol/oidc-nonce.ts';
import { SchemaPathError } from '../../core/schema.ts';
import { ApiError, RetryLaterError } from '../http/errors.ts';
import { PluginError } from '../plugins/errors.ts';
import { IssuerKeys, IssuerUnavailableError } from './issuer-keys.ts';
import type { OidcIssuerSettings, OidcSettings } from './settings.ts';
import type { OidcCondition, OidcGate } from './types.ts';

/** Signature algorithms of ID tokens accepted (never `none`, never an HMAC keyed by a client secret). */
const ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
/** Clock skew allowed between the node and the issuer, in seconds. */
const CLOCK_TOLERANCE_S = 30;
/** When the issuer cannot be reached: try again after this many seconds. */
const RETRY_AFTER_S = 30;

export class OidcVerifier implements OidcGate {
  readonly #issuers: ReadonlyMap<string, OidcIssuerSettings>;
  readonly #node: CID;
  readonly #keys: IssuerKeys;

  constructor(settings: OidcSettings, node: CID, keys = new IssuerKeys()) {
    this.#issuers = new Map(settings.issuers.map((i) => [i.issuer, i]));
    this.#node = node;
    this.#keys = keys;
  }

  assertTrusted(condition: OidcCondition): void {
    if (!this.#issuers.has(condition.issuer)) {
      throw new PluginError(
        'untrusted_issuer',
        `this node does not trust the OpenID Connect issuer ${condition.issuer}`,
      );
    }
  }

  async verify(condition: OidcCondition, proof: unknown, redeemer: CID, order: string, now: number): Promise<void> {
    const { idToken, binding } = parseProof(proof);
    const issuer = this.#issuers.get(condition.issuer);
    if (!issuer) throw new ApiError('untrusted_issuer', `this node no longer trusts ${condition.issuer}`);
    if (!binding.some((e) => e.node.equals(this.#node) && e.order === order)) {
      throw new ApiError('oidc_wrong_request', 'the sign-in was made for other nodes or orders than this one');
    }
    if (issuerOf(idToken) !== issuer.issuer) {
      throw new ApiError('untrusted_issuer', `the ID token was not issued by ${issuer.issuer}, as the order requires`);
    }
    const claims = await verifiedClaims(idToken, issuer, await this.#keysOf(issuer.issuer), now);
    assertBinds(claims, redeemer, binding);
    assertNames(claims, condition);
  }

  async #keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    try {
      return await this.#keys.keysOf(issuer);
    } catch (e) {
      throw unavailable(e);
    }
  }
}

function parseProof(proof: unknown): OidcProof {
  try {
    return oidcProof(proof, 'oidc');
  } catch (e) {
    if (e instanceof SchemaPathError) throw new ApiError('malformed', `the OpenID Connect proof: ${e.message}`);
    throw e;
  }
}

/** The `iss` the token claims, read before its signature is checked only to pick the issuer's keys. */
function issuerOf(idToken: string): unknown {
  try {
    return decodeJwt(idToken).iss;
  } catch {
    throw new ApiError('oidc_invalid', 'the ID token is not a JWT');
  }
}

function unavailable(e: unknown): unknown {
  if (!(e instanceof IssuerUnavailableError)) return e;
  return new RetryLaterError(
    'oidc_unavailable',
    `the OpenID Connect issuer cannot be reached: ${e.message}`,
    RETRY_AFTER_S,
  );
}

/** The token's claims once its signature, issuer, audience and lifetime hold at the node's time `now`. */
async function verifiedClaims(
  idToken: string,
  issuer: OidcIssuerSettings,
  keys: JWTVerifyGetKey,
  now: number,
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer: issuer.issuer,
      audience: issuer.clientId,
      algorithms: ALGORITHMS,
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (e) {
    throw refusal(e);
  }
  // A token for several audiences must have been handed to this client (OpenID Connect Core 3.1.3.7).
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== issuer.clientId) {
    throw new ApiError('oidc_invalid', "the ID token was issued to another client (azp) than this node's app");
  }
  return payload;
}

/** jose's refusal as the gate's code, in words that carry nothing of the token. */
function refusal(e: unknown): unknown {
  if (e instanceof IssuerUnavailableError) return unavailable(e);
  const { code, claim } = e as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_EXPIRED') return new ApiError('oidc_expired', 'the ID token has expired: sign in again');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'aud') return new ApiError('oidc_invalid', 'the ID token was issued to another client than the app');
    if (claim === 'iss') return new ApiError('untrusted_issuer', 'the ID token was issued by another issuer');
    return new ApiError('oidc_invalid', `the ID token's "${String(claim).slice(0, 16)}" claim is not acceptable`);
  }
  if (code === 'ERR_JWKS_NO_MATCHING_KEY')
    return new ApiError('oidc_invalid', "the ID token's key is not the issuer's");
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
    return new ApiError('oidc_invalid', "the ID token's signature does not verify");
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return new ApiError('oidc_invalid', "the ID token's algorithm is refused");
  if (typeof code === 'string' && code.startsWith('ERR_J'))
    return new ApiError('oidc_invalid', 'the ID token is invalid');
  return e;
}

/** The token's nonce binds the request's sender to the (node, order) pairs the request carries. */
function assertBinds(claims: JWTPayload, redeemer: CID, binding: readonly OidcBindingEntry[]): void {
  if (typeof claims.nonce !== 'string' || claims.nonce !== oidcNonce(redeemer, binding)) {
    throw new ApiError('oidc_wrong_request', "the ID token's nonce was not made for this redeemer and binding");
  }
}

/** The subject, or the verified email, of the order's condition. */
function assertNames(claims: JWTPayload, condition: OidcCondition): void {
  if (condition.subject !== undefined) {
    if (claims.sub !== condition.subject) throw new ApiError('oidc_wrong_subject', 'signed in as another subject');
    return;
  }
  const email = claims.email;
  if (typeof email !== 'string' || asciiLower(email) !== asciiLower(condition.email ?? '')) {
    throw new ApiError('oidc_wrong_subject', 'signed in with another email than the order names');
  }
  if (claims.email_verified !== true) {
    throw new ApiError('oidc_wrong_subject', 'the issuer has not verified this email address');
  }
}

/** ASCII letters lowered only: the local part beyond ASCII is compared as written. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
