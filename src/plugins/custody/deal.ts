/**
 * The principal's dealing, as every client does it (the CLI, scripts, later the app): draw k ∈ Fr, encrypt the
 * secret once under K = HKDF(k) (cipher.ts), split k t-of-n with Feldman commitments (the core's vss), sign the
 * group document (group.ts) and write one "custody/order" per node, each carrying the group, the ciphertext and
 * that node's share in a "custody/share" part sealed to it alone. k, K and the shares are wiped once sealed.
 *
 * The result holds the sent request envelopes, not the shares: posting the very same bytes again is how an order
 * interrupted by a crash is completed (order.ts), and no secret stays in memory meanwhile.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { NodeSession, SentRequest } from '../../core/api/session.ts';
import { wipe } from '../../core/bytes.ts';
import type { Conditions } from '../../core/protocol/conditions.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { Core, Share } from '../../core/types.ts';
import { ciphertextCid, encryptSecret, MAX_SECRET_BYTES } from './cipher.ts';
import { refuse } from './errors.ts';
import { createGroup, MAX_NODES, type VerifiedGroup } from './group.ts';
import { SHARE_TYPE } from './schema.ts';

const ORDER_TYPE = 'custody/order';

/** What the principal asks for. */
export interface CustodyOrderInput {
  readonly secret: Uint8Array;
  /** The only identity that may retrieve the secret (verified). */
  readonly beneficiary: Verified<IdentityDocument>;
  /** How many nodes it takes to recover; 1 ≤ t ≤ n. */
  readonly t: number;
  readonly label?: string;
  /** Release conditions (docs/protocol.md#conditions): the same in every node's order, each node enforces its own. */
  readonly conditions?: Conditions;
}

/** A dealt custody group: the group document, the ciphertext and each node's request, in the group's order. */
export interface CustodyDeal {
  readonly group: VerifiedGroup;
  readonly ciphertext: Uint8Array;
  readonly beneficiary: Verified<IdentityDocument>;
  readonly conditions?: Conditions;
  /** requests[i] goes to group.value.nodes[i]. */
  readonly requests: readonly SentRequest[];
}

/** Signs the group document with the principal's BLS key (the same identity that signs the sessions' envelopes). */
export type GroupSigner = (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;

function assertInput(sessions: readonly NodeSession[], input: CustodyOrderInput): void {
  const n = sessions.length;
  if (n < 1 || n > MAX_NODES) refuse('malformed', `custody: 1..${MAX_NODES} nodes, got ${n}`);
  if (!Number.isInteger(input.t) || input.t < 1 || input.t > n) {
    refuse('malformed', `custody: the threshold t must be 1..${n}, got ${input.t}`);
  }
  if (input.secret.length < 1 || input.secret.length > MAX_SECRET_BYTES) {
    refuse('malformed', `custody: a secret of 1..${MAX_SECRET_BYTES} bytes`);
  }
  const me = sessions[0]!.me.identity.cid;
  if (sessions.some((s) => !s.me.identity.cid.equals(me))) refuse('malformed', 'custody: one principal signs all');
  if (new Set(sessions.map((s) => s.node.cid.toString())).size !== n) refuse('malformed', 'custody: a node twice');
}

/** The order for node `i`: its share sealed to it alone inside an order sealed to it and the beneficiary. */
async function orderFor(session: NodeSession, deal: Omit<CustodyDeal, 'requests'>, share: Share): Promise<SentRequest> {
  const part = await session.me.createEnvelope({
    type: SHARE_TYPE,
    recipients: [session.node],
    content: { group: deal.group.cid, index: share.index, value: share.value },
    sealed: true,
  });
  const content = {
    beneficiary: deal.beneficiary.cid,
    group: deal.group.bytes,
    ciphertext: deal.ciphertext,
    share: part.bytes,
    ...(deal.conditions !== undefined ? { conditions: deal.conditions } : {}),
  };
  return session.request({ type: ORDER_TYPE, content, intentFor: deal.beneficiary });
}

/** Deals `input.secret` t-of-n over the nodes of `sessions` (in that order) and writes every node's order. */
export async function dealCustody(
  core: Core,
  sessions: readonly NodeSession[],
  sign: GroupSigner,
  input: CustodyOrderInput,
): Promise<CustodyDeal> {
  assertInput(sessions, input);
  const k = core.vss.random();
  let shares: Share[] = [];
  try {
    const beneficiary: CID = input.beneficiary.cid;
    const ciphertext = encryptSecret(k, beneficiary, input.secret);
    const dealing = core.vss.deal(k, input.t, sessions.length);
    shares = dealing.shares;
    const group = await createGroup(
      {
        principal: sessions[0]!.me.identity.cid,
        beneficiary,
        nodes: sessions.map((s) => s.node.cid),
        t: input.t,
        commitments: dealing.commitments,
        ciphertext: ciphertextCid(ciphertext),
        ...(input.label !== undefined ? { label: input.label } : {}),
      },
      sign,
    );
    const conditions = input.conditions !== undefined ? { conditions: input.conditions } : {};
    const dealt = { group, ciphertext, beneficiary: input.beneficiary, ...conditions };
    const requests = await Promise.all(sessions.map((s, i) => orderFor(s, dealt, shares[i]!)));
    return { ...dealt, requests };
  } finally {
    wipe(k, ...shares.map((s) => s.value));
  }
}
