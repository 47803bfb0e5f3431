/**
 * The principal's intent: what the principal asked for, readable by the beneficiary without trusting the node.
 *
 * An order's first envelope is signed by the principal. Sealed to the node alone (as every order was before
 * intents), only the node can read it, so a beneficiary has nothing but the node's word for who ordered what:
 * a node could pair any order of Alice's with a reply naming Carol. An order written with its intent is sealed to
 * the node **and the beneficiary** (what must stay the node's alone, like a deposited secret, travels inside it
 * in a part sealed to the node only; each plugin says which). The beneficiary then opens the first step itself:
 * the verified chain gives its signer (the principal) and the reply's link to it; its content names the
 * beneficiary. docs/protocol.md#the-principals-intent.
 * @module
 */
import { CID } from 'multiformats/cid';
import { isSealed, type VerifiedEnvelope } from './envelope.ts';
import { ProtocolError } from './errors.ts';

/** Why an order's first step does not show the principal's intent to this reader. */
export type IntentErrorCode =
  | 'not_addressed' // the first step is sealed to others and not to the reader: the reply pairs it with someone else
  | 'not_named' // the reader opened the intent, and it names another beneficiary
  | 'intent_missing' // sealed to the node alone, yet signed when its plugin already wrote intents: a downgrade
  | 'wrong_redeemer'; // redeemed by someone else than the beneficiary the intent names, without an oidc condition

/**
 * The intents cut-over: an order of a plugin that writes intents ({@link INTENT_PLUGINS}) whose first step the
 * principal signed (its `created`) on or after this time must carry its intent; only earlier ones are "made before
 * intents". The time is the principal's own signed one, so a node cannot make a new order look old.
 * 2026-12-06T00:00:00Z, just before intents became required (docs/protocol.md#the-principals-intent).
 */
export const INTENTS_REQUIRED_FROM = Date.UTC(2026, 11, 6);

/** The plugins whose orders are written with the principal's intent (their apps and CLI write it). */
const INTENT_PLUGINS: ReadonlySet<string> = new Set(['safeguard']);

/** True when an order of `plugin` signed at `created` must carry its intent. */
export function intentRequired(plugin: string, created: number): boolean {
  return INTENT_PLUGINS.has(plugin) && created >= INTENTS_REQUIRED_FROM;
}

/** The plugin of an order step's envelope type ("<plugin>/order"). */
const pluginOf = (type: string): string => type.split('/')[0]!;

/** The principal's intent does not name the reader: the node's reply pairs the order with someone else. */
export class IntentError extends ProtocolError {
  override name = 'IntentError';
  /** Which check failed (the base class's `code` is the core's numeric error code). */
  readonly reason: IntentErrorCode;
  constructor(reason: IntentErrorCode, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The recipients of an order's first step written with its intent: the node and the beneficiary, once each. */
export function intentRecipients<T extends { readonly cid: CID }>(node: T, beneficiary: T): T[] {
  return node.cid.equals(beneficiary.cid) ? [node] : [node, beneficiary];
}

/** What a reader learns from an order's first step. */
export type Intent =
  /** The principal's own words, for the reader: the first step's content (plain, or opened). */
  | { readonly kind: 'intent'; readonly content: unknown }
  /** Sealed to the node alone (an order made before intents): the principal's wishes cannot be checked. */
  | { readonly kind: 'before-intents' };

/**
 * The intent of an order for `me`, from its verified first step (`first`, sent by the principal the verified
 * chain names); `open` opens an envelope sealed to `me`. A plain first step is an intent everyone can read.
 * Refuses (IntentError 'not_addressed') a first step sealed to others but not to `me`: whoever sealed it to
 * its beneficiary did not name `me`; and (IntentError 'intent_missing') one sealed to the node alone that the
 * principal signed after its plugin's intents cut-over ({@link intentRequired}). The plugin then checks that the
 * content names `me` ({@link assertNamed}).
 */
export async function readIntent(
  first: VerifiedEnvelope,
  me: CID,
  node: CID,
  open: (envelope: VerifiedEnvelope) => Promise<unknown>,
): Promise<Intent> {
  const { header, body } = first.value;
  if (!isSealed(body)) return { kind: 'intent', content: body.plain };
  if (header.recipients.some((r) => r.equals(me))) return { kind: 'intent', content: await open(first) };
  if (header.recipients.every((r) => r.equals(node))) return beforeIntents(first);
  throw new IntentError(
    'not_addressed',
    `the principal sealed order ${first.cid.toString()} to others, not to ` +
      "you: the node pairs someone else's order with a reply naming you",
  );
}

/** An order sealed to the node alone: made before intents, or refused when signed after the cut-over. */
function beforeIntents(first: VerifiedEnvelope): Intent {
  const { type, created } = first.value.header;
  if (!intentRequired(pluginOf(type), created)) return { kind: 'before-intents' };
  throw new IntentError(
    'intent_missing',
    `order ${first.cid.toString()} was signed on ` +
      `${new Date(created).toISOString().slice(0, 10)}, after ${pluginOf(type)} orders carry the principal's ` +
      'intent, yet it has none: the node may be passing off an order as older than it is',
  );
}

/** Refuses an intent whose beneficiary is not `me` (IntentError 'not_named'). */
export function assertNamed(beneficiary: CID, me: CID): void {
  if (!beneficiary.equals(me)) {
    throw new IntentError('not_named', `the principal named ${beneficiary.toString()} as beneficiary, not you`);
  }
}

/**
 * The redemption of a verified chain held to the principal's intent (its first step's content): without an `oidc`
 * release condition only the beneficiary the intent names may redeem (IntentError 'wrong_redeemer'); with one, the
 * redeemer is whoever the node found proven by OpenID Connect (docs/protocol.md#redeeming-with-conditions).
 */
export function assertRedeemer(content: unknown, steps: readonly VerifiedEnvelope[]): void {
  const redeem = steps.find((s) => s.value.header.type.endsWith('/redeem'));
  if (!redeem || typeof content !== 'object' || content === null) return;
  const { beneficiary, conditions } = content as { beneficiary?: unknown; conditions?: unknown };
  if (typeof conditions === 'object' && conditions !== null && 'oidc' in conditions) return;
  const named = CID.asCID(beneficiary)?.toString();
  const sender = redeem.value.header.sender;
  if (named !== undefined && sender.toString() !== named) {
    throw new IntentError(
      'wrong_redeemer',
      `order ${steps[0]!.cid.toString()} was redeemed by ${sender.toString()}, not by the beneficiary the principal ` +
        `named (${named})`,
    );
  }
}
