/**
 * The principal's and the beneficiary's side: check the fiduciary's order
 * reply against what was asked, and, after redemption, add the two shares
 * and check that the result really owns the committed address. Nothing
 * here talks to a node; it works on the decrypted reply contents.
 * @module
 */
import { WIF } from '@scure/btc-signer';
import type { CID } from 'multiformats/cid';
import { equalBytes } from '../../core/bytes.ts';
import { type AddressType, addressesOf, addressOf } from './address.ts';
import { deriveKey, derivePublicKey, type HDKey } from './bip32.ts';
import { commitmentOf, verifyShareProof } from './commitment.ts';
import { BitcoinError } from './errors.ts';
import { addPublicKeys, addSecrets, Point, parsePublicKey, parseSecret, publicKeyBytes, publicKeyOf } from './keys.ts';
import { type NetworkName, network } from './network.ts';
import { type OrderReply, parseOrderReply, parseRedeemReply } from './schema.ts';

/** What the checker knows independently of the reply; every given field must match. */
export interface Expectation {
  readonly order: CID | string; // the order id (CID of the order request envelope)
  readonly network?: NetworkName;
  readonly addressType?: AddressType;
  readonly beneficiaryPublicKey?: Uint8Array;
  readonly xpub?: string;
  readonly path?: string;
  /** The key statement (bytes) the order carried: the reply must echo exactly it. */
  readonly beneficiaryKey?: Uint8Array;
  /** Threshold mode: the DKG session the order named and the group key it gave; the reply's F must be it. */
  readonly dkg?: { readonly session: CID; readonly groupKey: Uint8Array };
}

function mismatch(what: string): never {
  throw new BitcoinError('mismatch', `order reply: ${what}`);
}

function checkExpectation(r: OrderReply, e: Expectation): void {
  if (e.network !== undefined && r.network !== e.network) mismatch('network differs from the order');
  if (e.addressType !== undefined && r.addressType !== e.addressType) mismatch('addressType differs from the order');
  if (e.beneficiaryPublicKey && !equalBytes(r.beneficiaryPublicKey, e.beneficiaryPublicKey))
    mismatch('beneficiaryPublicKey is not ours');
  if (e.xpub !== undefined && (r.xpub !== e.xpub || r.path !== e.path)) mismatch('xpub or path differs from the order');
  if (e.beneficiaryKey && !(r.beneficiaryKey && equalBytes(r.beneficiaryKey, e.beneficiaryKey))) {
    mismatch('the key statement echoed is not the one the order carried');
  }
}

/**
 * Parses and checks an order reply: B matches the expectation (and its xpub
 * and path, when echoed), F is on the curve and proven (the Schnorr proof of
 * knowledge), F + B, both addresses and the commitment are recomputed.
 */
export function verifyOrderReply(content: unknown, expected: Expectation): OrderReply {
  const r = parseOrderReply(content);
  checkExpectation(r, expected);
  const net = network(r.network);
  const f = parsePublicKey(r.fiduciaryPublicKey, 'fiduciaryPublicKey');
  const b = parsePublicKey(r.beneficiaryPublicKey, 'beneficiaryPublicKey');
  if (r.xpub !== undefined || r.path !== undefined) {
    if (!equalBytes(derivePublicKey(r.xpub, r.path, net), r.beneficiaryPublicKey))
      mismatch('beneficiaryPublicKey is not the child of xpub at path');
  }
  const sum = addPublicKeys(f, b);
  if (!equalBytes(publicKeyBytes(sum), r.publicKey)) mismatch('publicKey is not F + B');
  const addresses = addressesOf(sum, net);
  if (addresses.p2wpkh !== r.addresses.p2wpkh || addresses.p2tr !== r.addresses.p2tr)
    mismatch('addresses do not belong to F + B');
  if (r.address !== addresses[r.addressType]) mismatch('address is not the one of addressType');
  const commitment = commitmentOf({
    order: expected.order,
    network: r.network,
    addressType: r.addressType,
    fiduciaryPublicKey: r.fiduciaryPublicKey,
    beneficiaryPublicKey: r.beneficiaryPublicKey,
  });
  if (!equalBytes(commitment, r.commitment)) mismatch('commitment does not match this order');
  checkFiduciaryKey(r, expected);
  return r;
}

/**
 * F is either proven by the node that drew f (a proof of knowledge) or, in threshold mode, the group key of the
 * DKG the order named: fixed by the transcript every node signed before B was sent, so no node can pick it.
 */
function checkFiduciaryKey(r: OrderReply, expected: Expectation): void {
  if (expected.dkg) {
    if (!r.dkg?.equals(expected.dkg.session)) mismatch('does not name the DKG session of the order');
    if (!equalBytes(r.fiduciaryPublicKey, expected.dkg.groupKey)) mismatch('F is not the group key of the DKG');
    return;
  }
  if (r.dkg !== undefined || !r.proof) mismatch('a threshold reply to an order that named no DKG');
  if (!verifyShareProof(r.fiduciaryPublicKey, r.commitment, r.proof))
    mismatch('proof of the fiduciary share does not verify');
}

export interface RecoveredKey {
  readonly privateKey: Uint8Array; // k = f + b mod n
  readonly publicKey: Uint8Array; // k·G, equal to the reply's F + B
  readonly network: NetworkName;
  readonly addressType: AddressType;
  readonly address: string; // equal to the committed address
  readonly wif: string; // compressed WIF, for importing into a wallet
}

/**
 * Adds the fiduciary's share (from the redemption reply) to the
 * beneficiary's secret b and checks everything on the way: f·G = F, b·G = B,
 * k·G = F + B and the address of k is the committed one.
 */
export function recoverPrivateKey(
  order: OrderReply,
  redeemContent: unknown,
  beneficiarySecret: Uint8Array,
): RecoveredKey {
  const r = parseRedeemReply(redeemContent);
  if (!equalBytes(r.fiduciaryPublicKey, order.fiduciaryPublicKey) || !equalBytes(r.commitment, order.commitment)) {
    throw new BitcoinError('mismatch', 'redeem reply: not for this order');
  }
  parseSecret(r.fiduciaryShare, 'fiduciaryShare');
  if (!equalBytes(publicKeyOf(r.fiduciaryShare), order.fiduciaryPublicKey))
    throw new BitcoinError('mismatch', 'redeem reply: fiduciaryShare is not the committed share');
  if (!equalBytes(publicKeyOf(beneficiarySecret), order.beneficiaryPublicKey))
    throw new BitcoinError('mismatch', 'beneficiarySecret does not match beneficiaryPublicKey');
  const privateKey = addSecrets(r.fiduciaryShare, beneficiarySecret);
  const publicKey = publicKeyOf(privateKey);
  if (!equalBytes(publicKey, order.publicKey)) throw new BitcoinError('mismatch', 'f + b does not give F + B');
  const net = network(order.network);
  const address = addressOf(order.addressType, Point.fromBytes(publicKey), net);
  if (address !== order.address)
    throw new BitcoinError('mismatch', 'the recovered key does not own the committed address');
  return {
    privateKey,
    publicKey,
    network: net.name,
    addressType: order.addressType,
    address,
    wif: WIF(net.btc).encode(privateKey),
  };
}

/**
 * b for an order made with (xpub, path): the caller's HD key is the one the
 * xpub was exported from (same depth), and `path` is the order's path below it.
 */
export function beneficiarySecretFromHd(account: HDKey, path: string): Uint8Array {
  if (!account.privateKey) throw new BitcoinError('bad_request', 'account: an extended private key is needed');
  const child = deriveKey(account, path);
  return Uint8Array.from(child.privateKey!);
}
