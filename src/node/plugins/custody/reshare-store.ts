/**
 * What a node keeps of a resharing, in its custody keystore (beside holding.ts's records):
 *
 *   "custody/reshare/<resharing id>"  DAG-CBOR { reshare, group, index, commitments, subshares, ciphertext }: the
 *                                     dealing this node made as an old holder, kept before its reply leaves, so
 *                                     a step run again (after a crash, or a new request for the same resharing)
 *                                     answers the same dealing and never draws a second polynomial. It holds no
 *                                     secret: the subshares are sealed to their new holders.
 *   "custody/moved/<order id>"        DAG-CBOR { from, to, index }: the order's share moved to group `to`;
 *                                     written before the share is deleted, so a crash between the two leaves a
 *                                     marker that a confirmation run again completes.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { decodeStrict, encode } from '../../../core/protocol/cbor.ts';
import { bytes, cid, integer, list, struct } from '../../../core/schema.ts';
import type { SealedSubshare } from '../../../plugins/custody/reshare-schema.ts';
import { KeyExistsError } from '../../keystore/errors.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import { holdingName } from './holding.ts';

/** An old holder's dealing: the deal reply without its order id. */
export interface StoredDealing {
  readonly reshare: CID;
  readonly group: CID;
  readonly index: number;
  readonly commitments: Uint8Array[];
  readonly subshares: SealedSubshare[];
  readonly ciphertext: Uint8Array;
}

export interface Moved {
  readonly from: CID;
  readonly to: CID;
  readonly index: number;
}

const dealingSchema = struct({
  reshare: cid,
  group: cid,
  index: integer(1, 255),
  commitments: list(bytes(48), { min: 1, max: 255 }),
  subshares: list(struct({ enc: bytes({ min: 1, max: 2048 }), ciphertext: bytes({ min: 1, max: 64 }) }), {
    min: 1,
    max: 255,
  }),
  ciphertext: bytes({ min: 1, max: 1 << 20 }),
});
const movedSchema = struct({ from: cid, to: cid, index: integer(1, 255) });

const dealingName = (reshare: CID): string => `reshare/${reshare}`;
const movedName = (order: string): string => `moved/${order}`;

/** The dealing this node made for `reshare`, or undefined. */
export async function readDealing(keystore: ScopedKeystore, reshare: CID): Promise<StoredDealing | undefined> {
  const stored = await keystore.get(dealingName(reshare));
  return stored ? dealingSchema(decodeStrict(stored), 'custody dealing') : undefined;
}

/** Keeps `dealing` (durable before it resolves); when another run kept one first, that one wins and is returned. */
export async function keepDealing(keystore: ScopedKeystore, dealing: StoredDealing): Promise<StoredDealing> {
  try {
    await keystore.put(dealingName(dealing.reshare), encode({ ...dealing }));
    return dealing;
  } catch (e) {
    if (!(e instanceof KeyExistsError)) throw e;
    return (await readDealing(keystore, dealing.reshare)) as StoredDealing;
  }
}

/** Where the share of `order` moved, or undefined when it did not. */
export async function movedOf(keystore: ScopedKeystore, order: string): Promise<Moved | undefined> {
  const stored = await keystore.get(movedName(order));
  return stored ? movedSchema(decodeStrict(stored), 'custody moved') : undefined;
}

/** Marks the share of `order` moved (the same marker again on a retry), then deletes the share itself. */
export async function moveAway(keystore: ScopedKeystore, order: string, moved: Moved): Promise<void> {
  if (!keystore.delete) throw new Error('custody: this keystore cannot delete a moved share');
  await keystore.put(movedName(order), encode({ ...moved }));
  await keystore.delete(holdingName(order));
}
