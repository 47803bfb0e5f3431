/**
 * What ties an OpenID Connect sign-in to one redemption (docs/protocol.md, "OpenID Connect beneficiaries"): the
 * redeemer's fresh identity and the (node, order) pairs it redeems at are hashed into the `nonce` the app sends to
 * the provider, which signs it into the ID token. A node recomputes the nonce from the request's sender and the
 * binding the request carries, and finds itself and its order in the binding, so a token is good for that
 * redeemer at those orders only. Shared by the app, the node and the CLI.
 *
 *   nonce = base64url-no-pad(SHA-256("dta/oidc/v1 nonce\0" || DAG-CBOR({redeemer: CID, binding: [...]})))
 *   redeem content = {oidc: {idToken: text (≤ 16 KiB), binding: [{node: CID, order: text}, ...] (1..16)}}
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CID } from 'multiformats/cid';
import { concat, toBase64Url, utf8 } from '../bytes.ts';
import { type Check, cid, list, struct, text } from '../schema.ts';
import { encode } from './cbor.ts';

/** One node a sign-in redeems at, and the order there. */
export interface OidcBindingEntry {
  readonly node: CID;
  readonly order: string;
}

/** The host-level proof a redeem carries for an order with an `oidc` condition. */
export interface OidcProof {
  readonly idToken: string;
  readonly binding: readonly OidcBindingEntry[];
}

/** The most nodes one sign-in redeems at (a custody group's n). */
const MAX_OIDC_BINDING = 16;
/** The largest ID token accepted (providers' tokens are 1–2 KiB). */
const MAX_ID_TOKEN_BYTES = 16 * 1024;

const NONCE_DOMAIN = utf8('dta/oidc/v1 nonce\0');

const bindingEntry = struct({ node: cid, order: text({ minBytes: 1, maxBytes: 128 }) });

/** The shape of the `oidc` field of a redeem's content (SchemaPathError naming the field otherwise). */
export const oidcProof: Check<OidcProof> = struct({
  idToken: text({ minBytes: 1, maxBytes: MAX_ID_TOKEN_BYTES }),
  binding: list(bindingEntry, {
    min: 1,
    max: MAX_OIDC_BINDING,
    unique: (e) => `${e.node.toString()} ${e.order}`,
    duplicate: 'a (node, order) pair is listed twice',
  }),
});

/** The nonce a sign-in for `redeemer` at the orders of `binding` asks the provider to sign. */
export function oidcNonce(redeemer: CID, binding: readonly OidcBindingEntry[]): string {
  const entries = binding.map(({ node, order }) => ({ node, order }));
  return toBase64Url(sha256(concat(NONCE_DOMAIN, encode({ redeemer, binding: entries }))));
}

/** A redeem's content for an order with an `oidc` condition (the plugin's own redeem fields are none). */
export function oidcRedeemContent(idToken: string, binding: readonly OidcBindingEntry[]): { oidc: OidcProof } {
  return { oidc: { idToken, binding: binding.map(({ node, order }) => ({ node, order })) } };
}
