/**
 * Orders as chains of envelopes. The first envelope of an order has no
 * `previous` and an empty `order`; every later one names the first one's
 * CID as its order id and the envelope it follows as `previous`. The
 * verifier walks a chain from its head back to the first envelope and checks
 * every block, signature, link, order id, sender, creation time and
 * envelope version.
 * Specified in docs/protocol.md#order-chains.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { type VerifiedEnvelope, verifyEnvelope } from './envelope.ts';
import { ChainError } from './errors.ts';
import type { BlockSource, BlsSigner, IdentityResolver } from './types.ts';

/** Check-ins make chains long: two envelopes each (docs/protocol.md#check-in-and-cancel). */
export const DEFAULT_MAX_CHAIN = 1024;

export interface ChainOptions {
  /** The longest chain accepted (default 1024). */
  readonly maxLength?: number;
  /** When given, every sender and recipient of the chain must be one of these identities. */
  readonly participants?: readonly CID[];
  readonly signal?: AbortSignal;
}

/** Fetches a block; one the source cannot give is a broken link. (verifyEnvelope checks it hashes to `cid`.) */
async function fetchBlock(blocks: BlockSource, cid: CID, step: number, signal?: AbortSignal): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await blocks.get(cid, signal ? { signal } : undefined);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ChainError(
      `chain: step ${step} (${String(cid)}) is not available (${e instanceof Error ? e.name : 'error'})`,
    );
  }
  return bytes;
}

/** From `head` back to the first envelope, each one verified on its own; returned first to last. */
async function walk(
  bls: BlsSigner,
  blocks: BlockSource,
  head: CID,
  identities: IdentityResolver,
  options: ChainOptions,
): Promise<VerifiedEnvelope[]> {
  const max = options.maxLength ?? DEFAULT_MAX_CHAIN;
  const steps: VerifiedEnvelope[] = [];
  for (let cid: CID | null = head; cid !== null; ) {
    if (steps.length >= max) throw new ChainError(`chain: longer than ${max} envelopes`);
    const bytes = await fetchBlock(blocks, cid, steps.length, options.signal);
    const env = await verifyEnvelope(bls, bytes, identities, {
      expected: cid,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    steps.push(env);
    cid = env.value.header.previous;
  }
  return steps.reverse();
}

/**
 * A redeem from an identity new to the order (a redeemer proven by OpenID Connect, docs/protocol.md#release-conditions)
 * that a party answered: the next step is sent by a party and addressed to the redeemer.
 */
function answeredNewRedeemer(steps: readonly VerifiedEnvelope[], i: number, parties: Set<string>): boolean {
  const { header } = steps[i]!.value;
  const next = steps[i + 1]?.value.header;
  if (!header.type.endsWith('/redeem') || !next || !parties.has(next.sender.toString())) return false;
  return next.recipients.some((r) => r.equals(header.sender));
}

/** The rules between steps (see the module comment); `i` is the step's index from the first. */
function checkStep(
  steps: readonly VerifiedEnvelope[],
  i: number,
  parties: Set<string>,
  allowed: Set<string> | null,
): void {
  const { header } = steps[i]!.value;
  const orderId = steps[0]!.cid.toString();
  const fail = (why: string): never => {
    throw new ChainError(`chain: step ${i} (${steps[i]!.cid.toString()}) ${why}`);
  };
  if (i === 0 && header.order !== '') fail('is the first of its order but names an order id');
  if (i > 0 && header.order !== orderId) fail(`names order ${JSON.stringify(header.order)}, not ${orderId}`);
  if (i > 0 && header.created < steps[i - 1]!.value.header.created) fail('was created before the step it follows');
  // Version 1 has no key commitment; a step after a version 2 one is new, and new envelopes are version 2.
  if (i > 0 && header.version < steps[i - 1]!.value.header.version) fail('steps back to envelope version 1');
  if (i > 0 && !parties.has(header.sender.toString()) && !answeredNewRedeemer(steps, i, parties))
    fail('is sent by an identity that is not a party to the order');
  for (const c of [header.sender, ...header.recipients]) {
    if (allowed && !allowed.has(c.toString())) fail(`involves ${c.toString()}, not among the expected participants`);
  }
}

/**
 * Verifies the order chain ending at `head` and returns its envelopes, first
 * to last. Every step: the block hashes to its CID, the envelope decodes and
 * its signature verifies by its sender's identity (resolved through
 * `identities`). Between steps: the first has no order id, the others name
 * the first's CID; each links the one before (by construction of the walk);
 * creation times never decrease; envelope versions never decrease (no version
 * 1 step, which has no key commitment, after a version 2 one); each step
 * after the first is sent by a party of the order (the first sender, or a sender or recipient of an earlier step),
 * except a "<plugin>/redeem" whose sender is new (an OpenID Connect redeemer) and which the next step, by a party,
 * answers to that sender: the redeemer then becomes a party.
 * Throws ChainError, or the error of the step that fails (SignatureError,
 * CidMismatchError, DecodeError, SchemaError, UnknownIdentityError, ...).
 */
export async function verifyChain(
  bls: BlsSigner,
  blocks: BlockSource,
  head: CID,
  identities: IdentityResolver,
  options: ChainOptions = {},
): Promise<VerifiedEnvelope[]> {
  const steps = await walk(bls, blocks, head, identities, options);
  const allowed = options.participants ? new Set(options.participants.map((c) => c.toString())) : null;
  const parties = new Set<string>([steps[0]!.value.header.sender.toString()]);
  for (let i = 0; i < steps.length; i++) {
    checkStep(steps, i, parties, allowed);
    const { header } = steps[i]!.value;
    parties.add(header.sender.toString());
    for (const r of header.recipients) parties.add(r.toString());
  }
  return steps;
}

/** The order id of a chain: the CID string of its first envelope. */
export function orderIdOf(first: { readonly cid: CID }): string {
  return first.cid.toString();
}
