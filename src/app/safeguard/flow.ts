/**
 * The safeguard flow: a principal deposits a secret (typed, or drawn by the
 * node so that the principal never sees it) for a beneficiary — itself or
 * another identity — and the beneficiary retrieves it. The principal checks
 * the node's commitment against the secret it sent; the beneficiary checks
 * the secret it receives against that same commitment (the plugin's shared
 * half, src/plugins/safeguard/, makes both checks).
 * @module
 */
import { CID } from 'multiformats/cid';
import { fromHex, wipe } from '../../core/bytes.ts';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import type { Conditions } from '../../core/protocol/conditions.ts';
import { decodeEnvelope } from '../../core/protocol/envelope.ts';
import { SafeguardError } from '../../plugins/safeguard/errors.ts';
import {
  checkReplyAgainstIntent,
  checkSecretAgainstIntent,
  readSafeguardIntent,
  type SafeguardIntent,
} from '../../plugins/safeguard/intent.ts';
import { safeguardOrderContent } from '../../plugins/safeguard/order.ts';
import { verifyOrderReply } from '../../plugins/safeguard/reply.ts';
import { MAX_GENERATE, MAX_LABEL, MAX_SECRET_BYTES, MIN_GENERATE } from '../../plugins/safeguard/schema.ts';
import type { SafeguardReleaseArgs } from '../../worker/api/types.ts';
import { type FlowsDeps, requireSigner } from '../api/deps.ts';
import { InputError, ReplyError } from '../api/errors.ts';
import { getNode, sessionFor } from '../nodes/registry.ts';
import { beneficiaryOnNode, parseIdentityCid } from '../orders/beneficiary.ts';
import { releaseRecordFor } from '../orders/conditions/record.ts';
import { type Placed, placeOrder, redeemOrder, type Summarize } from '../orders/flow.ts';
import type { OrderRecord } from '../orders/model.ts';
import { safeguardSummary, safeguardSummaryOf } from './summary.ts';

export interface SafeguardInput {
  readonly node: string;
  /** "me", or the beneficiary's identity CID. */
  readonly beneficiary: string;
  /** The secret to deposit (copied; the caller may wipe its own), or … */
  readonly secret?: Uint8Array;
  /** … the number of bytes the node draws (16..64). */
  readonly generate?: number;
  readonly label?: string;
  /** Release conditions (src/app/orders/conditions/): signed with the order, enforced by the node. */
  readonly conditions?: Conditions;
}

function checkInput(input: SafeguardInput): void {
  const { secret, generate, label } = input;
  if ((secret === undefined) === (generate === undefined)) {
    throw new InputError('secret', 'type a secret or choose to have one generated');
  }
  if (secret && (secret.length < 1 || secret.length > MAX_SECRET_BYTES)) {
    throw new InputError('secret', `a secret is 1 to ${MAX_SECRET_BYTES} bytes`);
  }
  if (generate !== undefined && (!Number.isInteger(generate) || generate < MIN_GENERATE || generate > MAX_GENERATE)) {
    throw new InputError('generate', `the node generates ${MIN_GENERATE} to ${MAX_GENERATE} bytes`);
  }
  if (label !== undefined && label.length > MAX_LABEL) {
    throw new InputError('label', `a label has at most ${MAX_LABEL} characters`);
  }
}

/** Runs a check of the shared half; what it refuses is, to this app, a reply that is not what was promised. */
function asReplyCheck<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof SafeguardError) throw new ReplyError(e.message);
    throw e;
  }
}

/** The principal's intent as the beneficiary read it from the first step (none for the principal's own record). */
function intentOfRecord(o: OrderRecord): SafeguardIntent | undefined {
  const content = o.intent?.content;
  return content ? readSafeguardIntent(decodeStrict(content), CID.parse(o.owner)) : undefined;
}

/**
 * Checks a safeguard order reply; with the deposited secret, also the node's commitment to it; with the
 * principal's intent (the beneficiary's import), that the reply says what the principal asked for.
 */
function summarizer(secret?: Uint8Array): Summarize {
  return async (content, o) =>
    safeguardSummary(
      asReplyCheck(() => {
        const reply = verifyOrderReply(content, {
          order: o.id,
          beneficiary: o.beneficiary,
          ...(secret ? { secret } : {}),
        });
        const intent = intentOfRecord(o);
        if (intent) checkReplyAgainstIntent(reply, intent);
        return reply;
      }),
    );
}

/** The summariser for orders imported from a node (nothing known beyond the order). */
export const summarizeSafeguard: Summarize = summarizer();

/** Orders a safeguarded secret on `node`. */
export async function orderSafeguard(deps: FlowsDeps, input: SafeguardInput): Promise<Placed> {
  checkInput(input);
  const me = await requireSigner(deps);
  const beneficiary = input.beneficiary === 'me' ? me.identity.cid : parseIdentityCid(input.beneficiary);
  const intentFor = beneficiary.equals(me.identity.cid)
    ? me.identity
    : await beneficiaryOnNode(deps, input.node, beneficiary);
  const secret = input.secret ? Uint8Array.from(input.secret) : undefined;
  const label = input.label?.trim() || undefined;
  try {
    const node = (await sessionFor(deps, input.node)).node;
    const content = await safeguardOrderContent(me, node, {
      beneficiary,
      ...(secret ? { secret } : { generate: input.generate! }),
      ...(label ? { label } : {}),
    });
    const { conditions } = input;
    return await placeOrder(deps, {
      node: input.node,
      plugin: 'safeguard',
      // A host-level field beside the plugin's own (docs/protocol.md#conditions): the node takes it off.
      content: conditions ? { ...content, conditions } : content,
      ...(conditions ? { release: releaseRecordFor(conditions) } : {}),
      beneficiary: beneficiary.toString(),
      intentFor,
      summarize: summarizer(secret),
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

/** The node's redemption reply on the order's record, sealed to us, for the worker to open. */
function redeemReplyOf(order: OrderRecord, document: Uint8Array): SafeguardReleaseArgs {
  const stored = order.envelopes.findLast(
    (e) => e.type === 'safeguard/redeem-reply' && e.sender === order.nodeIdentity,
  );
  if (!stored) throw new ReplyError('the redemption reply is not among the stored envelopes');
  const previous = decodeEnvelope(stored.bytes, CID.parse(stored.cid)).value.header.previous;
  if (!previous) throw new ReplyError('the redemption reply answers no request');
  return { node: document, order: order.id, request: previous.toString(), reply: stored.bytes };
}

/**
 * Retrieves a safeguarded secret as the beneficiary: the node's reply stays sealed on this page, the worker opens
 * it and checks the secret against the node's commitments (src/worker/api/safeguard.ts), and hands back the
 * secret alone; then it is checked against the principal's intent.
 */
export async function retrieveSafeguard(deps: FlowsDeps, id: string): Promise<Retrieved> {
  const { order } = await redeemOrder(deps, id);
  const committed = safeguardSummaryOf(order)?.commitment;
  const node = await getNode(deps, order.node);
  if (!node) throw new ReplyError(`the node ${order.node} is not in this app: add it under Nodes first`);
  const secret = await (await deps.crypto()).safeguard.release({
    ...redeemReplyOf(order, node.document),
    ...(committed !== undefined ? { committed: fromHex(committed) } : {}),
  });
  try {
    const intent = intentOfRecord(order);
    if (intent) asReplyCheck(() => checkSecretAgainstIntent(secret, intent));
  } catch (e) {
    wipe(secret);
    throw e;
  }
  return { order, secret };
}
