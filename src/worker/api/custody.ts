/**
 * Threshold custody in the worker (the custody plugin's client steps, src/plugins/custody/): the principal's
 * dealing and the placing of its n orders, the completion of an order some nodes refused, the beneficiary's
 * retrieval from any t. They run here, with sessions of their own signing with the unlocked identity, because
 * the dealt scalar k, the key K and every share exist only while they run: the page gives the nodes (their
 * stored identity documents) and the secret, and gets back the group, the placed orders, each node's progress
 * and, for the beneficiary, the secret it came for.
 * @module
 */
import * as Comlink from 'comlink';
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../core/api/node-api.ts';
import { keySigner } from '../../core/api/signer.ts';
import { wipe } from '../../core/bytes.ts';
import { type Conditions, parseConditions } from '../../core/protocol/conditions.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { Core } from '../../core/types.ts';
import type { CustodyDeal } from '../../plugins/custody/deal.ts';
import { readGroup } from '../../plugins/custody/group.ts';
import {
  CustodyIncompleteError,
  custodyOrder,
  type NodeProgress,
  type PlacedOrder,
  placeCustodyOrders,
} from '../../plugins/custody/order.ts';
import { type ReshareProgress, reshareGroup } from '../../plugins/custody/reshare-run.ts';
import { custodyRetrieve, type RetrievalProgress } from '../../plugins/custody/retrieve.ts';
import type { Session } from '../vault/vault.ts';
import { RedeemAgainSession } from './custody-session.ts';
import type { EnvelopeOut } from './types.ts';

/** A node the page added: its URL and its identity document as stored (verified again here). */
export interface CustodyNode {
  readonly url: string;
  readonly identity: string;
  readonly document: Uint8Array;
}

/** What the principal deals. */
export interface CustodyOrderArgs {
  /** The group's nodes, in share order (node i holds index i + 1). */
  readonly nodes: readonly CustodyNode[];
  /** The beneficiary's identity document (verified here). */
  readonly beneficiary: Uint8Array;
  /** The secret; wiped here once sealed. */
  readonly secret: Uint8Array;
  readonly t: number;
  readonly label?: string;
  /** Release conditions, written into every node's order (docs/protocol.md#conditions). */
  readonly conditions?: Conditions;
}

/** A dealt group's public parts: enough to post every node's order again, no secret. */
export interface CustodyDealOut {
  readonly group: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly beneficiary: Uint8Array;
  /** requests[i] is node i's order envelope (sealed to it and the beneficiary). */
  readonly requests: readonly EnvelopeOut[];
}

export interface CustodyPlaced {
  readonly deal: CustodyDealOut;
  readonly placed: readonly PlacedOrder[];
  readonly refused: readonly { readonly node: string; readonly index: number; readonly reason: string }[];
}

/** The shared half's progress, and 'sealing' while the shares are drawn and sealed (before any is sent). */
export type CustodyOrderProgress = NodeProgress | { readonly node: string; readonly index: number; state: 'sealing' };

export interface CustodyRetrieveArgs {
  /** The nodes to ask and the order each holds. */
  readonly holders: readonly { readonly node: CustodyNode; readonly order: string }[];
  /** The group's CID, from the principal's order record. */
  readonly group: string;
}

export interface CustodyRetrieved {
  readonly secret: Uint8Array;
  readonly wrong: readonly { readonly node: string; readonly reason: string }[];
  readonly failed: readonly { readonly node: string; readonly reason: string }[];
  readonly usedIndices: readonly number[];
}

export interface CustodyReshareArgs {
  /** The group's document (the principal's own, signed when dealt or reshared). */
  readonly group: Uint8Array;
  /** Its nodes that hold a share; those that do not answer now are left out. */
  readonly old: readonly CustodyNode[];
  /** The new committee, in the new group's order. */
  readonly nodes: readonly CustodyNode[];
  readonly t: number;
}

export interface CustodyReshared {
  readonly group: Uint8Array;
  /** The new nodes' orders, in the new group's order. */
  readonly orders: readonly string[];
  /** Old holders that deleted their share; those that could not be told (their share is useless alone). */
  readonly confirmed: readonly string[];
  readonly unconfirmed: readonly { readonly node: string; readonly reason: string }[];
}

/** How long an old holder may take to answer before resharing goes on without it. */
const REACH_MS = 5000;

export function custodyApi(deps: { core: Core; session: () => Session }) {
  const { core } = deps;
  const signerOf = () => keySigner(core.bls, deps.session());

  /** A session with each node, its identity from the stored document: a node that is down fails its own post. */
  const sessionsOf = (nodes: readonly CustodyNode[]) => {
    const me = signerOf();
    return Promise.all(
      nodes.map(async (n) => {
        const identity = await readIdentity(core.bls, n.document, CID.parse(n.identity));
        return new RedeemAgainSession(new NodeApi(n.url), identity, core.bls, me, { retries: 1, retryDelayMs: 500 });
      }),
    );
  };

  const dealOut = (deal: CustodyDeal): CustodyDealOut => ({
    group: deal.group.bytes,
    ciphertext: deal.ciphertext,
    beneficiary: deal.beneficiary.bytes,
    requests: deal.requests.map((r) => ({ cid: r.cid.toString(), bytes: r.bytes })),
  });

  /** The deal back from its public parts, the group's signature checked against the principal (us). */
  const dealIn = async (d: CustodyDealOut): Promise<CustodyDeal> => {
    const me = deps.session().identity;
    return {
      group: await readGroup(core.bls, d.group, async () => me),
      ciphertext: d.ciphertext,
      beneficiary: await readIdentity(core.bls, d.beneficiary),
      requests: d.requests.map((r) => ({ cid: CID.parse(r.cid), bytes: r.bytes })),
    };
  };

  /** Placed and refused from a finished placing, thrown or not. */
  const outcome = async (run: () => Promise<{ deal: CustodyDeal; placed: PlacedOrder[] }>) => {
    try {
      const { deal, placed } = await run();
      return { deal: dealOut(deal), placed, refused: [] };
    } catch (e) {
      if (!(e instanceof CustodyIncompleteError)) throw e;
      return { deal: dealOut(e.deal), placed: [...e.placed], refused: [...e.refused] };
    }
  };

  /** The sessions of `nodes` whose node answers now (resharing registers parties with every old holder first). */
  const reachable = async (nodes: readonly CustodyNode[]) => {
    const sessions = await sessionsOf(nodes);
    const up = await Promise.all(
      sessions.map((s) =>
        s.api.status({ timeoutMs: REACH_MS }).then(
          () => true,
          () => false,
        ),
      ),
    );
    return sessions.filter((_, i) => up[i]);
  };

  return {
    /**
     * Deals the secret t-of-n, signs the group and posts every node's order in parallel; `beforePlacing` gets the
     * deal's public parts before any node is asked (the page stores them). Refusals are returned, not thrown.
     */
    async order(
      args: CustodyOrderArgs,
      onProgress?: (p: CustodyOrderProgress) => void,
      beforePlacing?: (deal: CustodyDealOut) => Promise<void>,
    ): Promise<CustodyPlaced> {
      try {
        const sessions = await sessionsOf(args.nodes);
        const session = deps.session();
        const beneficiary = await readIdentity(core.bls, args.beneficiary);
        for (const [i, s] of sessions.entries()) {
          onProgress?.({ node: s.node.cid.toString(), index: i + 1, state: 'sealing' });
        }
        const input = {
          secret: args.secret,
          beneficiary,
          t: args.t,
          ...(args.label !== undefined ? { label: args.label } : {}),
          ...(args.conditions !== undefined ? { conditions: parseConditions(args.conditions) } : {}),
        };
        const sign = (m: Uint8Array) => core.bls.sign(session.secrets.bls, m);
        const options = {
          ...(onProgress ? { onProgress } : {}),
          ...(beforePlacing ? { beforePlacing: (deal: CustodyDeal) => beforePlacing(dealOut(deal)) } : {}),
        };
        return await outcome(() => custodyOrder(core, sessions, sign, input, options));
      } finally {
        wipe(args.secret);
      }
    },

    /** Posts a dealt group's orders again (the same bytes): nodes that committed answer with their reply. */
    async place(
      args: { readonly nodes: readonly CustodyNode[]; readonly deal: CustodyDealOut },
      onProgress?: (p: NodeProgress) => void,
    ): Promise<CustodyPlaced> {
      const deal = await dealIn(args.deal);
      const sessions = await sessionsOf(args.nodes);
      return outcome(async () => ({
        deal,
        placed: await placeCustodyOrders(deal, sessions, onProgress ? { onProgress } : {}),
      }));
    },

    /**
     * Reshares a group the unlocked identity dealt to a new committee, t'-of-n' (the shared half's reshareGroup):
     * the old holders deal, the new nodes check and keep, the old ones delete their share; never reconstructed.
     */
    async reshare(args: CustodyReshareArgs, onProgress?: (p: ReshareProgress) => void): Promise<CustodyReshared> {
      const session = deps.session();
      const group = await readGroup(core.bls, args.group, async () => session.identity);
      const [sessions, newNodes] = await Promise.all([reachable(args.old), sessionsOf(args.nodes)]);
      const done = await reshareGroup({
        core,
        sign: (m) => core.bls.sign(session.secrets.bls, m),
        sessions,
        group,
        newNodes,
        t: args.t,
        ...(onProgress ? { onProgress } : {}),
      });
      return { group: done.group.bytes, orders: done.orders, confirmed: done.confirmed, unconfirmed: done.unconfirmed };
    },

    /** Redeems every holder's order in parallel, checks each share, names liars, recovers from the first t good. */
    async retrieve(args: CustodyRetrieveArgs, onProgress?: (p: RetrievalProgress) => void): Promise<CustodyRetrieved> {
      const sessions = await sessionsOf(args.holders.map((h) => h.node));
      const holders = sessions.map((session, i) => ({ session, order: args.holders[i]!.order }));
      const got = await custodyRetrieve(core, holders, {
        group: CID.parse(args.group),
        ...(onProgress ? { onProgress } : {}),
      });
      // Moved to the page, not copied: no copy of the secret stays in the worker.
      const secret = Uint8Array.from(got.secret);
      wipe(got.secret);
      Comlink.transfer(secret, [secret.buffer]);
      return { secret, wrong: got.wrong, failed: got.failed, usedIndices: got.usedIndices };
    },
  };
}

export type CustodyApi = ReturnType<typeof custodyApi>;
