/**
 * An order read by the worker from its node, not from the page: the node's identity from the node's own discovery
 * document (held to the CID the page stored), the order's history fetched and verified as a chain (every envelope
 * signed by its sender, each linking the one before, the first being the order). Steps that release a secret
 * (bitcoin.ts) read their replies from here, so the page can hand in no content of its choosing.
 * @module
 */
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../core/api/node-api.ts';
import { type NodeSession, nodeIdentity } from '../../core/api/session.ts';
import { keySigner } from '../../core/api/signer.ts';
import { fromBase64 } from '../../core/bytes.ts';
import { verifyChain } from '../../core/protocol/chain.ts';
import type { VerifiedEnvelope } from '../../core/protocol/envelope.ts';
import { resolverOf } from '../../core/protocol/resolver.ts';
import type { BlockSource, BlsSigner } from '../../core/protocol/types.ts';
import type { Session } from '../vault/vault.ts';
import { RedeemAgainSession } from './custody-session.ts';
import type { BitcoinNetwork, BitcoinRecoverArgs, EnvelopeOut, NodeRef } from './types.ts';
import { SecretBoundaryError } from './withheld.ts';

const NETWORKS: readonly BitcoinNetwork[] = ['mainnet', 'testnet', 'regtest'];
const RECOVER_KEYS = new Set(['node', 'order', 'network', 'index', 'reveal', 'confirmation']);

/** The arguments of bitcoin.recover, checked; anything else (such as reply contents) is refused, not ignored. */
export function checkRecoverArgs(args: BitcoinRecoverArgs): BitcoinRecoverArgs {
  if (typeof args !== 'object' || args === null) throw new SecretBoundaryError('bitcoin.recover: arguments expected');
  const extra = Object.keys(args).filter((k) => !RECOVER_KEYS.has(k));
  if (extra.length)
    throw new SecretBoundaryError(
      `bitcoin.recover takes no ${extra.join(', ')}: the worker reads the order's replies from its node`,
    );
  if (typeof args.node?.url !== 'string' || typeof args.node.identity !== 'string')
    throw new SecretBoundaryError("bitcoin.recover: the node's URL and identity CID");
  CID.parse(args.order);
  CID.parse(args.node.identity);
  if (!NETWORKS.includes(args.network)) throw new SecretBoundaryError('bitcoin.recover: an unknown network');
  return args;
}

/** A session with the node at `ref.url`, whose discovery document must show the identity `ref.identity`. */
export async function nodeSessionOf(bls: BlsSigner, session: Session, ref: NodeRef): Promise<NodeSession> {
  const api = new NodeApi(ref.url);
  const node = await nodeIdentity(api, bls, ref.identity);
  return new RedeemAgainSession(api, node, bls, keySigner(bls, session), { retries: 1, retryDelayMs: 500 });
}

export const envelopeOut = (e: { readonly cid: CID; readonly bytes: Uint8Array }): EnvelopeOut => ({
  cid: e.cid.toString(),
  bytes: e.bytes,
});

/** The order's chain as its node shows it, verified from its head back to the order's first envelope. */
export async function orderChainOf(
  bls: BlsSigner,
  node: NodeSession,
  order: string,
): Promise<{ readonly steps: VerifiedEnvelope[]; readonly envelopes: EnvelopeOut[] }> {
  const view = await node.api.order(order);
  const envelopes = view.history.map((h) => ({ cid: h.cid, bytes: fromBase64(h.envelope, `history ${h.cid}`) }));
  const byCid = new Map(envelopes.map((e) => [e.cid, e.bytes] as const));
  const blocks: BlockSource = {
    async get(cid) {
      const b = byCid.get(cid.toString());
      if (!b) throw new SecretBoundaryError(`the order's history lacks envelope ${cid.toString()}`);
      return b;
    },
  };
  const senders = [...new Set(view.history.map((h) => h.sender))];
  const identities = await Promise.all(senders.map((c) => node.identity(c)));
  const steps = await verifyChain(bls, blocks, CID.parse(view.order.head), resolverOf([node.node, ...identities]));
  if (steps[0]?.cid.toString() !== CID.parse(order).toString())
    throw new SecretBoundaryError('the chain the node shows is not of this order');
  return { steps, envelopes };
}
