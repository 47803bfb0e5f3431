/**
 * The fiduciary's commitments in the node's keystore, one entry per order
 * under the order id (the CID string of the request envelope): the share f
 * and the request it answers. The entry is written (and on disk: a keystore
 * `put` resolves only then) before any reply leaves, and is never replaced,
 * so a retried or replayed order, or a node restarted after a crash, finds
 * the same f again instead of drawing a new one.
 *
 * Beside them, the register of beneficiary keys: "key/<B in hex>" holds the
 * id of the one order that B was committed to, written (durably, never
 * replaced) before the share, so that one B never serves two orders on this
 * node — one key for two orders would tie them together on the chain.
 * Orders committed before the register existed are added to it once, when
 * the plugin starts (registerCommittedKeys; "key-register/v1" marks it done).
 * @module
 */
import * as dagCbor from '@ipld/dag-cbor';
import { equalBytes, toHex, utf8 } from '../../../core/bytes.ts';
import { BitcoinError } from '../../../plugins/bitcoin/errors.ts';
import { generateShare, publicKeyBytes } from '../../../plugins/bitcoin/keys.ts';
import type { OrderRequest } from '../../../plugins/bitcoin/schema.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import { beneficiaryKey, type CommittedOrder, decodeCommitted, encodeCommitted } from './fiduciary.ts';

const KEY_PREFIX = 'key/';
const REGISTER_DONE = 'key-register/v1';
/** Threshold-mode entries (threshold.ts): "dkg/<session>" and "dkg-order/<order>", no share. */
const THRESHOLD_PREFIX = 'dkg';

const sameRequest = (a: OrderRequest, b: OrderRequest): boolean => equalBytes(dagCbor.encode(a), dagCbor.encode(b));

/** The committed share for `orderId`, drawing and storing one first if there is none yet. */
export async function commitShare(
  keystore: ScopedKeystore,
  orderId: string,
  request: OrderRequest,
): Promise<CommittedOrder> {
  const existing = await loadCommitted(keystore, orderId);
  if (existing) return checkSame(existing, request);
  await claimKey(keystore, orderId, publicKeyBytes(beneficiaryKey(request)));
  const fresh: CommittedOrder = { share: generateShare(), request };
  const bytes = encodeCommitted(fresh);
  try {
    await keystore.put(orderId, bytes);
  } catch (e) {
    // Another attempt for the same order committed first (put refuses to replace): use its share.
    const winner = await loadCommitted(keystore, orderId);
    if (!winner) throw e;
    return checkSame(winner, request);
  } finally {
    bytes.fill(0);
  }
  return fresh;
}

/** Records that B belongs to `orderId`; a B already recorded for another order is refused (409 key_reused). */
export async function claimKey(keystore: ScopedKeystore, orderId: string, b: Uint8Array): Promise<void> {
  const name = `${KEY_PREFIX}${toHex(b)}`;
  const mark = utf8(orderId);
  try {
    await keystore.put(name, mark);
  } catch (e) {
    const holder = await keystore.get(name);
    if (!holder) throw e;
    if (!equalBytes(holder, mark)) {
      throw new BitcoinError(
        'key_reused',
        'this beneficiary key was already used for another order on this node: ' +
          'ask the beneficiary for a new key card',
      );
    }
  }
}

/** The committed share for `orderId`, or undefined. */
export async function loadCommitted(keystore: ScopedKeystore, orderId: string): Promise<CommittedOrder | undefined> {
  const bytes = await keystore.get(orderId);
  if (!bytes) return undefined;
  try {
    return decodeCommitted(bytes);
  } finally {
    bytes.fill(0);
  }
}

function checkSame(committed: CommittedOrder, request: OrderRequest): CommittedOrder {
  if (!sameRequest(committed.request, request))
    throw new BitcoinError('conflict', 'this order id is already committed to another request');
  return committed;
}

/** What registerCommittedKeys found: orders now in the register, B's that old orders share, unreadable records. */
export interface RegisterReport {
  readonly registered: number;
  readonly shared: number;
  readonly unreadable: number;
}

/**
 * Puts the B of every order committed before the register existed into it, once per keystore. Two old orders
 * with one B: the first by name keeps it (the other stays redeemable; only new orders are refused).
 */
export async function registerCommittedKeys(keystore: ScopedKeystore): Promise<RegisterReport> {
  const report = { registered: 0, shared: 0, unreadable: 0 };
  if (!keystore.list || (await keystore.has(REGISTER_DONE))) return report;
  for (const name of await keystore.list('')) {
    if (name.startsWith(KEY_PREFIX) || name.startsWith(THRESHOLD_PREFIX) || name === REGISTER_DONE) continue;
    await registerOne(keystore, name, report);
  }
  await keystore.put(REGISTER_DONE, Uint8Array.of(1));
  return report;
}

type Tally = { -readonly [K in keyof RegisterReport]: number };

async function registerOne(keystore: ScopedKeystore, orderId: string, report: Tally): Promise<void> {
  let committed: CommittedOrder | undefined;
  try {
    committed = await loadCommitted(keystore, orderId);
    if (!committed) return;
    await claimKey(keystore, orderId, publicKeyBytes(beneficiaryKey(committed.request)));
    report.registered++;
  } catch (e) {
    if (!(e instanceof BitcoinError)) throw e;
    if (e.code === 'key_reused') report.shared++;
    else report.unreadable++;
  } finally {
    committed?.share.fill(0);
  }
}
