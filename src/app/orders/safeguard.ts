/**
 * The safeguard flow: a principal deposits a secret (typed, or drawn by the
 * node so that the principal never sees it) for a beneficiary — itself or
 * another identity — and the beneficiary retrieves it. The principal checks
 * the node's commitment against the secret it sent; the beneficiary checks
 * the secret it receives against that same commitment.
 * @module
 */
import { CID } from 'multiformats/cid';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { equalBytes, fromHex, wipe } from '../../core/bytes.ts';
import { requireSigner, type FlowsDeps } from '../api/deps.ts';
import { ApiError, InputError, ReplyError } from '../api/errors.ts';
import { NodeApi } from '../api/node-api.ts';
import { getNode } from '../nodes/registry.ts';
import type { OrderRecord } from './model.ts';
import { placeOrder, redeemOrder, type Placed, type Summarize } from './flow.ts';
import { safeguardCommitment, safeguardSecret, safeguardSummary } from './summary.ts';

export const MAX_SECRET_BYTES = 16 * 1024;
export const MIN_GENERATE = 16;
export const MAX_GENERATE = 64;
export const MAX_LABEL = 128;

/** An identity CID as people paste it: CIDv1, dag-cbor, sha2-256; InputError otherwise. */
export function parseIdentityCid(text: string, field = 'beneficiary'): CID {
  let cid: CID;
  try {
    cid = CID.parse(text.trim());
  } catch {
    throw new InputError(field, 'not an identity CID: it looks like bafyrei… (copy it from the other person\'s Keys page)');
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
    const bytes = await new NodeApi(known.url, deps.fetch).identityBytes(cid.toString());
    return await readIdentity((await deps.crypto()).bls, bytes, cid);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      throw new InputError('beneficiary', 'this node does not know that identity: the beneficiary must add this node in their app first (that registers them)');
    }
    throw e;
  }
}

export interface SafeguardInput {
  readonly node: string;
  /** "me", or the beneficiary's identity CID. */
  readonly beneficiary: string;
  /** The secret to deposit (copied; the caller may wipe its own), or … */
  readonly secret?: Uint8Array;
  /** … the number of bytes the node draws (16..64). */
  readonly generate?: number;
  readonly label?: string;
}

function checkInput(input: SafeguardInput): void {
  if ((input.secret === undefined) === (input.generate === undefined)) throw new InputError('secret', 'type a secret or choose to have one generated');
  if (input.secret && (input.secret.length < 1 || input.secret.length > MAX_SECRET_BYTES)) {
    throw new InputError('secret', `a secret is 1 to ${MAX_SECRET_BYTES} bytes`);
  }
  if (input.generate !== undefined && (!Number.isInteger(input.generate) || input.generate < MIN_GENERATE || input.generate > MAX_GENERATE)) {
    throw new InputError('generate', `the node generates ${MIN_GENERATE} to ${MAX_GENERATE} bytes`);
  }
  if (input.label !== undefined && input.label.length > MAX_LABEL) throw new InputError('label', `a label has at most ${MAX_LABEL} characters`);
}

/** Checks a safeguard order reply; with the deposited secret, also the node's commitment to it. */
function summarizer(secret?: Uint8Array): Summarize {
  return async (content, o) => {
    const summary = safeguardSummary(content, { order: o.id, beneficiary: o.beneficiary });
    if (secret) {
      if (summary.size !== secret.length) throw new ReplyError('safeguard reply: the size is not the size of the secret sent');
      if (!equalBytes(fromHex(summary.commitment), safeguardCommitment(o.id, secret))) {
        throw new ReplyError('safeguard reply: the node committed to another secret than the one sent');
      }
    }
    return summary;
  };
}

/** The summariser for orders imported from a node (nothing known beyond the order). */
export const summarizeSafeguard: Summarize = summarizer();

/** Orders a safeguarded secret on `node`. */
export async function orderSafeguard(deps: FlowsDeps, input: SafeguardInput): Promise<Placed> {
  checkInput(input);
  const me = await requireSigner(deps);
  const beneficiary = input.beneficiary === 'me' ? me.identity.cid : parseIdentityCid(input.beneficiary);
  if (!beneficiary.equals(me.identity.cid)) await beneficiaryOnNode(deps, input.node, beneficiary);
  const secret = input.secret ? Uint8Array.from(input.secret) : undefined;
  const label = input.label?.trim() || undefined;
  const content = {
    beneficiary,
    ...(secret ? { secret } : { generate: input.generate! }),
    ...(label ? { label } : {}),
  };
  try {
    return await placeOrder(deps, {
      node: input.node, plugin: 'safeguard', content, beneficiary: beneficiary.toString(), summarize: summarizer(secret),
      ...(label ? { label } : {}),
    });
  } finally {
    wipe(secret);
  }
}

export interface Retrieved {
  readonly order: OrderRecord;
  /** The secret: for the view to show, never stored. The caller wipes it when done. */
  readonly secret: Uint8Array;
}

/** Retrieves a safeguarded secret as the beneficiary; checks it against the node's commitment. */
export async function retrieveSafeguard(deps: FlowsDeps, id: string): Promise<Retrieved> {
  const { order, content } = await redeemOrder(deps, id);
  const committed = order.summary?.kind === 'safeguard' ? order.summary.commitment : undefined;
  return { order, secret: Uint8Array.from(safeguardSecret(content, id, committed)) };
}
