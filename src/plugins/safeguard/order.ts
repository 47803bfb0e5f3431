/**
 * A safeguard order as every client writes it (the app, the CLI, scripts): with the principal's intent. The
 * content names the beneficiary, and either asks the node to draw the secret or carries it in a deposit sealed to
 * the node alone beside a salted commitment the beneficiary checks (deposit.ts); the order itself is sealed to the
 * node and the beneficiary (src/core/protocol/intent.ts). One function, so that the app and the CLI send the same.
 * And the beneficiary's check at retrieval for clients holding a session (the CLI): the released secret must be
 * the one the principal's intent committed to.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { CallOptions } from '../../core/api/node-api.ts';
import { replyBytes, replyCid } from '../../core/api/replies.ts';
import type { NodeSession, StepResult } from '../../core/api/session.ts';
import type { EnvelopeDraft } from '../../core/api/signer.ts';
import type { Conditions } from '../../core/protocol/conditions.ts';
import { decodeEnvelope, verifyEnvelope } from '../../core/protocol/envelope.ts';
import { readIntent } from '../../core/protocol/intent.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { DEPOSIT_TYPE, depositCommitmentOf, SALT_BYTES } from './deposit.ts';
import { checkSecretAgainstIntent, readSafeguardIntent } from './intent.ts';

/** What the principal asks for: a secret to deposit, or how many bytes the node draws. */
export interface SafeguardOrderInput {
  readonly beneficiary: CID;
  readonly secret?: Uint8Array;
  readonly generate?: number;
  readonly label?: string;
  /** Release conditions the node enforces (docs/protocol.md#conditions), signed with the order. */
  readonly conditions?: Conditions;
}

/** Who signs the deposit: the principal (any signer of envelopes: the app's worker, in-memory keys). */
export interface DepositSigner {
  createEnvelope(draft: EnvelopeDraft): Promise<{ readonly bytes: Uint8Array }>;
}

/** The content of a safeguard order with its intent; a secret goes into a deposit sealed to `node` alone. */
export async function safeguardOrderContent(
  me: DepositSigner,
  node: Verified<IdentityDocument>,
  input: SafeguardOrderInput,
): Promise<Record<string, unknown>> {
  const { beneficiary, secret, generate, label, conditions } = input;
  const named = {
    beneficiary,
    ...(label !== undefined ? { label } : {}),
    ...(conditions !== undefined ? { conditions } : {}),
  };
  if (secret === undefined) return { ...named, generate };
  const depositSalt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const deposit = await me.createEnvelope({
    type: DEPOSIT_TYPE,
    recipients: [node],
    content: { secret },
    sealed: true,
  });
  return { ...named, deposit: deposit.bytes, depositSalt, depositCommitment: depositCommitmentOf(depositSalt, secret) };
}

/** Places a safeguard order with its intent through `session` (the beneficiary's identity read from the node). */
export async function orderSafeguardWith(
  session: NodeSession,
  input: SafeguardOrderInput,
  options?: CallOptions,
): Promise<StepResult> {
  const me = session.me.identity;
  const intentFor = input.beneficiary.equals(me.cid) ? me : await session.identity(input.beneficiary, options);
  const content = await safeguardOrderContent(session.me, session.node, input);
  return session.order('safeguard', content, { ...options, intentFor });
}

/**
 * The beneficiary's check of a released secret against the principal's intent: the order's first step (its CID
 * is the order id), signed by its sender, is read for us (readIntent refuses one sealed to others, or one without
 * intent signed after the cut-over); when it deposited a secret, `secret` must match its salted commitment.
 */
export async function checkRetrievedSecret(
  session: NodeSession,
  bls: BlsSigner,
  order: string,
  secret: Uint8Array,
  options?: CallOptions,
): Promise<void> {
  const view = await session.api.order(order, options);
  const entry = view.history.find((h) => h.cid === order);
  if (!entry) throw new Error(`safeguard: the order's history lacks its first step ${order}`);
  const decoded = decodeEnvelope(replyBytes(entry.envelope, 'history.envelope'), replyCid(order, 'order'));
  const first = await verifyEnvelope(bls, decoded, await session.identity(decoded.value.header.sender, options));
  const me = session.me.identity.cid;
  const intent = await readIntent(first, me, session.node.cid, (env) => session.me.openEnvelope(env));
  if (intent.kind === 'intent') checkSecretAgainstIntent(secret, readSafeguardIntent(intent.content, me));
}
