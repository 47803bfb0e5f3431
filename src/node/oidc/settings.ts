/**
 * The `oidc` key of config.json: the OpenID Connect issuers this node trusts for orders released to an OIDC
 * identity (README, "Configuration"; docs/protocol.md, "OpenID Connect beneficiaries").
 *
 *   "oidc": {"issuers": [{"issuer": "https://accounts.example.org", "clientId": "<the app's client id there>",
 *                         "name": "Example"}]}
 * @module
 */
import { isIssuerUrl } from '../../core/protocol/conditions.ts';
import { type Check, list, struct, text } from '../../core/schema.ts';

export interface OidcIssuerSettings {
  /** The issuer identifier, exactly as its ID tokens' `iss` claim says it. */
  readonly issuer: string;
  /** The app's client id at that issuer: an ID token's `aud` must include it. */
  readonly clientId: string;
  /** Shown to people as "Sign in with <name>". */
  readonly name: string;
}

export interface OidcSettings {
  readonly issuers: readonly OidcIssuerSettings[];
}

/** No issuer trusted: an order with an `oidc` condition is refused. */
export const NO_OIDC: OidcSettings = { issuers: [] };

const MAX_ISSUERS = 32;

const issuerSettings = struct({
  issuer: text({ minBytes: 1, maxBytes: 256, test: isIssuerUrl, what: 'an https:// issuer URL (http:// on loopback)' }),
  clientId: text({ minBytes: 1, maxBytes: 255, pattern: /^[\x21-\x7e]+$/, what: 'a client id (printable ASCII)' }),
  name: text({ minBytes: 1, maxBytes: 64 }),
});

export const OIDC_SETTINGS: Check<OidcSettings> = struct({
  issuers: list(issuerSettings, { max: MAX_ISSUERS, unique: (i) => i.issuer, duplicate: 'an issuer is listed twice' }),
});
