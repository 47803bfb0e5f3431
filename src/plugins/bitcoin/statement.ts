/**
 * A beneficiary's key statement: its Bitcoin key (a compressed public key,
 * or an xpub and a public path) in a plain envelope of type "bitcoin/key",
 * signed by its dta identity. A principal who puts the statement in an
 * order (`beneficiaryKey`) lets the fiduciary check that B really is the
 * named beneficiary's key — without it, the order's B is whatever the
 * principal wrote. The statement's sender becomes the order's beneficiary.
 * Statements are public and long-lived, like a published key: no recipients,
 * no freshness window; the order that uses them is what is fresh.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { createEnvelope, isSealed, verifyEnvelope } from '../../core/protocol/index.ts';
import type { BlsSigner, IdentityResolver } from '../../core/protocol/types.ts';
import { BitcoinError, badRequest } from './errors.ts';
import { struct } from '../../core/schema.ts';
import type { NetworkName } from './network.ts';
import {
  MAX_STATEMENT_BYTES, networkField, parseBitcoinInput, pathField, publicKeyField, xpubField,
} from './schema.ts';

export const KEY_STATEMENT_TYPE = 'bitcoin/key';

/** The key a statement carries (exactly one form), for one network. */
export interface StatedKey {
  readonly network: NetworkName;
  readonly beneficiaryPublicKey?: Uint8Array;
  readonly xpub?: string;
  readonly path?: string;
}

export interface KeyStatement extends StatedKey {
  readonly beneficiary: CID; // the identity that signed it
  readonly cid: CID;
}

const STATED_KEY = struct(
  { network: networkField },
  { beneficiaryPublicKey: publicKeyField, xpub: xpubField, path: pathField },
);

function parseStatedKey(content: unknown): StatedKey {
  const m = parseBitcoinInput(STATED_KEY, content, 'bitcoin/key');
  const { network, beneficiaryPublicKey, xpub, path } = m;
  if (beneficiaryPublicKey !== undefined && xpub === undefined && path === undefined) return { network, beneficiaryPublicKey };
  if (beneficiaryPublicKey === undefined && xpub !== undefined && path !== undefined) return { network, xpub, path };
  throw badRequest('bitcoin/key: give either beneficiaryPublicKey or xpub and path');
}

/** Signs a statement of `key` by the identity `sender` (client side). Returns the envelope's bytes. */
export async function createKeyStatement(bls: BlsSigner, senderBlsSecret: Uint8Array, sender: CID, key: StatedKey): Promise<Uint8Array> {
  const content = parseStatedKey(key); // refuse to sign anything the node would refuse
  const env = await createEnvelope(bls, senderBlsSecret, { type: KEY_STATEMENT_TYPE, sender, content });
  return env.bytes;
}

/** Verifies a statement's signature by its sender's identity and parses its key. Any failure is a bad_request. */
export async function readKeyStatement(bls: BlsSigner, bytes: Uint8Array, identities: IdentityResolver,
  options: { signal?: AbortSignal } = {}): Promise<KeyStatement> {
  if (bytes.length > MAX_STATEMENT_BYTES) throw badRequest('beneficiaryKey: statement too large');
  let env;
  try {
    env = await verifyEnvelope(bls, bytes, identities, options.signal ? { signal: options.signal } : {});
  } catch (e) {
    throw badRequest(`beneficiaryKey: not a valid signed statement (${(e as Error).name})`);
  }
  const { header, body } = env.value;
  if (header.type !== KEY_STATEMENT_TYPE) throw badRequest(`beneficiaryKey: expected an envelope of type ${KEY_STATEMENT_TYPE}`);
  if (isSealed(body)) throw badRequest('beneficiaryKey: a key statement is a plain envelope');
  try {
    return { ...parseStatedKey(body.plain), beneficiary: header.sender, cid: env.cid };
  } catch (e) {
    throw e instanceof BitcoinError ? e : badRequest('beneficiaryKey: bad statement content');
  }
}

/** Checks that a statement fits the order's network (and named beneficiary) and returns its key fields. */
export function statedKeyFor(statement: KeyStatement, order: { network: NetworkName; beneficiary?: CID }): StatedKey {
  if (statement.network !== order.network) throw badRequest('beneficiaryKey: the statement is for another network');
  if (order.beneficiary && !order.beneficiary.equals(statement.beneficiary)) throw badRequest('beneficiaryKey: signed by someone other than the beneficiary');
  return statement;
}
