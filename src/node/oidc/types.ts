/**
 * The node's OpenID Connect gate (docs/protocol.md, "OpenID Connect beneficiaries"): what the order service asks
 * of it when an order names its beneficiary as an OIDC subject. The implementation lives beside this file.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { OidcCondition } from '../../core/protocol/conditions.ts';

/** The `oidc` release condition of an order (src/core/protocol/conditions.ts), as the gate takes it. */
export type { OidcCondition };

export interface OidcGate {
  /** Order time: refuses (400 untrusted_issuer) an issuer this node does not trust. */
  assertTrusted(condition: OidcCondition): void;
  /** Redeem time: throws an ApiError (codes below) unless proof holds for condition, this order and redeemer. */
  verify(condition: OidcCondition, proof: unknown, redeemer: CID, order: string, now: number): Promise<void>;
}
