/**
 * A beneficiary's key statement: its Bitcoin key (a compressed public key,
 * or an xpub and a public path) in a plain envelope of type "bitcoin/key",
 * signed by its dta identity. A principal who puts the statement in an
 * order (`beneficiaryKey`) lets the fiduciary check that B really is the
 * named beneficiary's key — without it, the order's B is whatever the
 * principal wrote. The statement's sender becomes the order's beneficiary.
 * An order for another identity must carry one (a raw key would be whatever
 * the principal wrote), and the node echoes it in its reply so that the
 * beneficiary checks that B is its own.
 * Statements are public, like a published key (no recipients), but expire:
 * `expires` (ms since the epoch, at most a year after signing; 30 days by
 * default) is checked against the order's time by the node and by the app
 * that reads a card. A statement made before expiry existed has none and is
 * refused for new orders (orders made with it stay as they are).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { equalBytes } from '../../core/bytes.ts';
import { createEnvelope, isSealed, verifyEnvelope } from '../../core/protocol/index.ts';
import type { BlsSigner, Envelope, IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import { integer, struct } from '../../core/schema.ts';
import { BitcoinError, badRequest } from './errors.ts';
import type { NetworkName } from './network.ts';
import {
  MAX_STATEMENT_BYTES,
  networkField,
  parseBitcoinInput,
  pathField,
  publicKeyField,
  xpubField,
} from './schema.ts';

export const KEY_STATEMENT_TYPE = 'bitcoin/key';
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a new statement (a key card) is good for unless its maker says otherwise. */
const DEFAULT_STATEMENT_LIFETIME_MS = 30 * DAY_MS;
/** The longest a statement may be good for, counted from its signing time. */
const MAX_STATEMENT_LIFETIME_MS = 366 * DAY_MS;

/** The key a statement carries (exactly one form), for one network. */
export interface StatedKey {
  readonly network: NetworkName;
  readonly beneficiaryPublicKey?: Uint8Array;
  readonly xpub?: string;
  readonly path?: string;
  /** Not good after this time (ms since the epoch); absent only in statements made before expiry existed. */
  readonly expires?: number;
}

export interface KeyStatement extends StatedKey {
  readonly beneficiary: CID; // the identity that signed it
  readonly cid: CID;
  readonly created: number; // its signing time (ms)
}

const STATED_KEY = struct(
  { network: networkField },
  {
    beneficiaryPublicKey: publicKeyField,
    xpub: xpubField,
    path: pathField,
    expires: integer(0, Number.MAX_SAFE_INTEGER),
  },
);

function parseStatedKey(content: unknown): StatedKey {
  const m = parseBitcoinInput(STATED_KEY, content, 'bitcoin/key');
  const { network, beneficiaryPublicKey, xpub, path } = m;
  const expires = m.expires !== undefined ? { expires: m.expires } : {};
  if (beneficiaryPublicKey !== undefined && xpub === undefined && path === undefined) {
    return { network, beneficiaryPublicKey, ...expires };
  }
  if (beneficiaryPublicKey === undefined && xpub !== undefined && path !== undefined) {
    return { network, xpub, path, ...expires };
  }
  throw badRequest('bitcoin/key: give either beneficiaryPublicKey or xpub and path');
}

/**
 * Signs a statement of `key` by the identity `sender` (client side). Returns the envelope's bytes. Without
 * `key.expires` the statement is good for DEFAULT_STATEMENT_LIFETIME_MS from `now`.
 */
export async function createKeyStatement(
  bls: BlsSigner,
  senderBlsSecret: Uint8Array,
  sender: CID,
  key: StatedKey,
  options: { now?: number } = {},
): Promise<Uint8Array> {
  const created = options.now ?? Date.now();
  const expires = key.expires ?? created + DEFAULT_STATEMENT_LIFETIME_MS;
  if (expires - created > MAX_STATEMENT_LIFETIME_MS) {
    throw badRequest('bitcoin/key: expires at most 366 days after signing');
  }
  const content = parseStatedKey({ ...key, expires }); // refuse to sign anything the node would refuse
  const env = await createEnvelope(bls, senderBlsSecret, { type: KEY_STATEMENT_TYPE, sender, content, created });
  return env.bytes;
}

/** Verifies a statement's signature by its sender's identity and parses its key. Any failure is a bad_request. */
export async function readKeyStatement(
  bls: BlsSigner,
  bytes: Uint8Array,
  identities: IdentityResolver,
  options: { signal?: AbortSignal } = {},
): Promise<KeyStatement> {
  if (bytes.length > MAX_STATEMENT_BYTES) throw badRequest('beneficiaryKey: statement too large');
  let env;
  try {
    env = await verifyEnvelope(bls, bytes, identities, options.signal ? { signal: options.signal } : {});
  } catch (e) {
    throw badRequest(`beneficiaryKey: not a valid signed statement (${(e as Error).name})`);
  }
  return statementOf(env.value, env.cid);
}

function statementOf(value: Envelope, cid: CID): KeyStatement {
  const { header, body } = value;
  if (header.type !== KEY_STATEMENT_TYPE)
    throw badRequest(`beneficiaryKey: expected an envelope of type ${KEY_STATEMENT_TYPE}`);
  if (isSealed(body)) throw badRequest('beneficiaryKey: a key statement is a plain envelope');
  try {
    return { ...parseStatedKey(body.plain), beneficiary: header.sender, cid, created: header.created };
  } catch (e) {
    throw e instanceof BitcoinError ? e : badRequest('beneficiaryKey: bad statement content');
  }
}

/**
 * Checks that a statement is good at `at` (the order's time): it has an expiry, not passed, and not more than
 * MAX_STATEMENT_LIFETIME_MS after its signing.
 */
export function checkStatementTime(statement: Pick<KeyStatement, 'expires' | 'created'>, at: number): void {
  if (statement.expires === undefined) {
    throw new BitcoinError(
      'key_card_expired',
      'beneficiaryKey: this key card has no expiry (it was made before cards ' +
        'expired): ask the beneficiary for a new card',
    );
  }
  if (statement.expires - statement.created > MAX_STATEMENT_LIFETIME_MS) {
    throw badRequest('beneficiaryKey: a key card is good for at most 366 days after it was made');
  }
  if (at >= statement.expires) {
    throw new BitcoinError(
      'key_card_expired',
      `beneficiaryKey: this key card expired on ` +
        `${new Date(statement.expires).toISOString().slice(0, 10)}: ask the beneficiary for a new card`,
    );
  }
}

/** Checks that a statement fits the order's network (and named beneficiary) and returns its key fields. */
export function statedKeyFor(statement: KeyStatement, order: { network: NetworkName; beneficiary?: CID }): StatedKey {
  if (statement.network !== order.network) throw badRequest('beneficiaryKey: the statement is for another network');
  if (order.beneficiary && !order.beneficiary.equals(statement.beneficiary))
    throw badRequest('beneficiaryKey: signed by someone other than the beneficiary');
  return statement;
}

/** What checkEchoedStatement reads of an order reply. */
export interface EchoedReply {
  readonly network: NetworkName;
  readonly beneficiaryPublicKey: Uint8Array;
  readonly xpub?: string;
  readonly path?: string;
}

/**
 * The beneficiary's check of the statement a node echoed in its order reply: signed by `me` (verified with my
 * own identity document), for the reply's network, stating the reply's B (for an xpub statement: the same xpub
 * and path). The worker signs statements only of keys it derives, so a statement of mine stating B means B is
 * one of my keys. Throws BitcoinError 'mismatch' otherwise.
 */
export async function checkEchoedStatement(
  bls: BlsSigner,
  echoed: Uint8Array | undefined,
  me: Verified<IdentityDocument>,
  reply: EchoedReply,
): Promise<KeyStatement> {
  const notMine = (why: string): never => {
    throw new BitcoinError('mismatch', `this order's key is not one of yours (${why}): do not send funds to it`);
  };
  if (!echoed) return notMine("the node's reply carries no key statement of yours");
  let statement: KeyStatement;
  try {
    const env = await verifyEnvelope(bls, echoed, me);
    statement = statementOf(env.value, env.cid);
  } catch {
    return notMine('the key statement in the reply is not signed by you');
  }
  if (statement.network !== reply.network) notMine('the key statement is for another network');
  const sameKey = statement.beneficiaryPublicKey
    ? equalBytes(statement.beneficiaryPublicKey, reply.beneficiaryPublicKey) && reply.xpub === undefined
    : statement.xpub === reply.xpub && statement.path === reply.path;
  if (!sameKey) notMine("the reply's key is not the one your statement states");
  return statement;
}
