/**
 * The new committee a dealing request names, checked before an old holder deals to it: every identity document
 * verifies (its proof of possession and self-signature), none twice, 1 ≤ t' ≤ n', and every node is known here
 * (the dealing reply is sealed to them, so the node must resolve each one; the principal registers them first).
 * @module
 */
import { readIdentity } from '../../../core/protocol/identity.ts';
import type { IdentityDocument, Verified } from '../../../core/protocol/types.ts';
import { refuse } from '../../../plugins/custody/errors.ts';
import { PluginError } from '../errors.ts';
import type { PluginContext } from '../types.ts';

async function verified(ctx: PluginContext, doc: Uint8Array, k: number): Promise<Verified<IdentityDocument>> {
  let node: Verified<IdentityDocument>;
  try {
    node = await readIdentity(ctx.core.bls, doc);
  } catch {
    refuse('malformed', `custody: the identity document of new node ${k + 1} does not verify`);
  }
  try {
    await ctx.identities.resolve(node.cid);
  } catch {
    throw new PluginError('bad_request', `custody: new node ${k + 1} (${node.cid}) is not known to this node`);
  }
  return node;
}

/** The new committee's identities, verified and known, in the committee's order. */
export async function newCommittee(
  ctx: PluginContext,
  docs: readonly Uint8Array[],
  t: number,
): Promise<Verified<IdentityDocument>[]> {
  if (t > docs.length) refuse('malformed', `custody: t' = ${t} is more than the ${docs.length} new nodes`);
  const nodes = await Promise.all(docs.map((doc, k) => verified(ctx, doc, k)));
  if (new Set(nodes.map((n) => n.cid.toString())).size !== nodes.length) {
    refuse('malformed', 'custody: the new committee names a node twice');
  }
  return nodes;
}
