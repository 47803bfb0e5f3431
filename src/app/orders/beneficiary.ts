/**
 * The beneficiary of an order placed for someone else: their identity CID as people paste it, and their
 * identity document as the chosen node knows it (a node only serves orders for identities it knows).
 * @module
 */
import { CID } from 'multiformats/cid';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { FlowsDeps } from '../api/deps.ts';
import { InputError, NodeApiError } from '../api/errors.ts';
import { nodeApiAt } from '../api/node-api.ts';
import { getNode } from '../nodes/registry.ts';

/** An identity CID as people paste it: CIDv1, dag-cbor, sha2-256; InputError otherwise. */
export function parseIdentityCid(text: string, field = 'beneficiary'): CID {
  let cid: CID;
  try {
    cid = CID.parse(text.trim());
  } catch {
    // Mostly a copy cut short or a mistyped character: say so, not what a CID looks like.
    throw new InputError(
      field,
      "this identity id is incomplete or mistyped: copy it whole from the other person's Identity page",
    );
  }
  if (cid.version !== 1 || cid.code !== 0x71 || cid.multihash.code !== 0x12) {
    throw new InputError(field, 'not an identity CID (expected a CIDv1 of a DAG-CBOR document)');
  }
  return cid;
}

/** The beneficiary's identity document as the node knows it (verified here); InputError when the node does not know it. */
export async function beneficiaryOnNode(deps: FlowsDeps, node: string, cid: CID): Promise<Verified<IdentityDocument>> {
  const known = await getNode(deps, node);
  if (!known) throw new InputError('node', 'choose one of your nodes');
  try {
    const bytes = await nodeApiAt(known.url, deps.fetch).identityBytes(cid.toString());
    return await readIdentity((await deps.crypto()).bls, bytes, cid);
  } catch (e) {
    if (e instanceof NodeApiError && e.status === 404) {
      throw new InputError(
        'beneficiary',
        'this node does not know that identity: the beneficiary must add this node in their app first (that registers them)',
      );
    }
    throw e;
  }
}
