/**
 * What a participant works with and never keeps in its state: its keys, its group, the nodes' identities.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { BlsSigner, IdentityDocument, Verified } from '../protocol/types.ts';
import { DkgError } from './errors.ts';
import type { DkgGroup } from './group.ts';

export interface ParticipantContext {
  readonly group: DkgGroup;
  readonly bls: BlsSigner;
  /** This node's identity CID and secrets (BLS key for signing, X-Wing seed for opening shares). */
  readonly me: { readonly cid: CID; readonly bls: Uint8Array; readonly xwing: Uint8Array };
  /** The identity documents of the session's nodes (verified by the caller), in any order. */
  readonly identities: readonly Verified<IdentityDocument>[];
}

/** The identity document of a session node; throws DkgError('unknown_identity') when it was not given. */
export function identityOf(ctx: ParticipantContext, node: CID): Verified<IdentityDocument> {
  const found = ctx.identities.find((d) => d.cid.equals(node));
  if (!found) throw new DkgError('unknown_identity', `no identity document given for node ${String(node)}`);
  return found;
}
