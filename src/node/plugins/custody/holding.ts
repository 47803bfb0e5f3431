/**
 * What a node keeps of a custody group, in its plugin keystore (encrypted, written to disk before the reply):
 *
 *   "custody/group/<group CID>"  the UTF-8 id of the order that holds the group's share here (one order per group)
 *   "custody/order/<order id>"   DAG-CBOR { group: document bytes, index, share: 32 bytes, ciphertext }
 *
 * The group claim is written first: a second order for the same group finds it and is refused; a retry of the
 * same order (a crash before the node committed it) finds its own id and writes the same bytes again, which the
 * keystore accepts. The ciphertext also lives in Helia inside the order's request envelope, which the node stores.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { utf8 } from '../../../core/bytes.ts';
import { decodeStrict, encode } from '../../../core/protocol/cbor.ts';
import { bytes, integer, struct } from '../../../core/schema.ts';
import { CustodyError } from '../../../plugins/custody/errors.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';

/** One node's holding of a group. */
export interface Holding {
  readonly group: Uint8Array;
  readonly index: number;
  readonly share: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const holdingSchema = struct({
  group: bytes({ min: 1, max: 64 * 1024 }),
  index: integer(1, 255),
  share: bytes(32),
  ciphertext: bytes({ min: 1, max: 1 << 20 }),
});

const claimName = (group: CID): string => `group/${group}`;
/** The keystore name of an order's holding (inside the plugin's scope). */
export const holdingName = (order: string): string => `order/${order}`;

/** The id of the order that claimed `group` here, or undefined when none did. */
export async function claimOf(keystore: ScopedKeystore, group: CID): Promise<string | undefined> {
  const held = await keystore.get(claimName(group));
  return held ? new TextDecoder().decode(held) : undefined;
}

/** CustodyError('group_taken') when an order other than `order` holds a share of `group` here already. */
export async function assertGroupFree(keystore: ScopedKeystore, group: CID, order: string): Promise<void> {
  const held = await keystore.get(claimName(group));
  if (held && new TextDecoder().decode(held) !== order) {
    throw new CustodyError('group_taken', `custody: this node already holds a share of group ${group}`);
  }
}

/** Claims `group` for `order` (the same bytes again on a retry; another order's claim is refused). */
export async function claimGroup(keystore: ScopedKeystore, group: CID, order: string): Promise<void> {
  await assertGroupFree(keystore, group, order);
  await keystore.put(claimName(group), utf8(order));
}

/** Writes the holding of `order` (the same bytes again on a retry). */
export async function keepHolding(keystore: ScopedKeystore, order: string, holding: Holding): Promise<void> {
  const encoded = encode({ ...holding });
  try {
    await keystore.put(holdingName(order), encoded);
  } finally {
    encoded.fill(0);
  }
}

/** The holding of `order`, or undefined when this node keeps none. */
export async function readHolding(keystore: ScopedKeystore, order: string): Promise<Holding | undefined> {
  const encoded = await keystore.get(holdingName(order));
  if (!encoded) return undefined;
  try {
    const h = holdingSchema(decodeStrict(encoded), 'custody holding');
    // Copies: the decoded byte strings may be views of `encoded`, which is wiped.
    const copy = (b: Uint8Array) => new Uint8Array(b);
    return { group: copy(h.group), index: h.index, share: copy(h.share), ciphertext: copy(h.ciphertext) };
  } finally {
    encoded.fill(0);
  }
}
