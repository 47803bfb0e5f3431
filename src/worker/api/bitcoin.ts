/**
 * The identity's secp256k1 keys for Bitcoin orders, derived from its secrets so that an identity backup
 * restores them too. The beneficiary's share b for order key `index` is the BIP-32 child
 *   m / 7477' / coin' / index'   (coin 0 on mainnet, 1 on testnet and regtest)
 * of the master key from seed = HKDF-SHA256(bls || xwing, salt "dta/bitcoin/v1", info "bip32 seed", 64).
 * b never leaves the worker: the page gets B = b·G, a signed key statement, and — after redemption — the
 * recovered key k = f + b, which is what the beneficiary came for.
 * @module
 */
import { concat, utf8, wipe } from '../../core/bytes.ts';
import { hkdf } from '../../core/crypto/kdf.ts';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { decodeEnvelope } from '../../core/protocol/envelope.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import { deriveKey, masterKeyFromSeed } from '../../plugins/bitcoin/bip32.ts';
import { publicKeyOf } from '../../plugins/bitcoin/keys.ts';
import { network } from '../../plugins/bitcoin/network.ts';
import { type RecoveredKey, recoverPrivateKey, verifyOrderReply } from '../../plugins/bitcoin/reply.ts';
import { createKeyStatement } from '../../plugins/bitcoin/statement.ts';
import type { Session } from '../vault/vault.ts';
import type { BitcoinNetwork, EnvelopeOut } from './types.ts';

const PURPOSE = 7477;
const HARDENED_MAX = 0x7fffffff;

function checkIndex(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > HARDENED_MAX)
    throw new RangeError('bitcoin: the key index is an integer in [0, 2^31)');
  return index;
}

/** b for (`net`, `index`); the caller wipes it. */
function shareOf(session: Session, net: BitcoinNetwork, index: number): Uint8Array {
  const ikm = concat(session.secrets.bls, session.secrets.xwing);
  const seed = hkdf(ikm, utf8('dta/bitcoin/v1'), utf8('bip32 seed'), 64);
  try {
    const coin = net === 'mainnet' ? 0 : 1;
    const child = deriveKey(masterKeyFromSeed(seed, network(net)), `m/${PURPOSE}'/${coin}'/${checkIndex(index)}'`);
    return Uint8Array.from(child.privateKey!);
  } finally {
    wipe(ikm, seed);
  }
}

export function bitcoinApi(deps: { bls: BlsSigner; session: () => Session }) {
  const withShare = <T>(net: BitcoinNetwork, index: number, f: (b: Uint8Array) => T): T => {
    const b = shareOf(deps.session(), net, index);
    try {
      return f(b);
    } finally {
      wipe(b);
    }
  };
  const publicKey = async (net: BitcoinNetwork, index: number): Promise<Uint8Array> =>
    withShare(net, index, publicKeyOf);

  return {
    /** B = b·G (33 bytes, compressed) for order key `index` on `net`. */
    publicKey,

    /** A "bitcoin/key" statement of B, signed by the unlocked identity, for a principal's order. */
    async keyStatement(net: BitcoinNetwork, index: number): Promise<EnvelopeOut> {
      const { identity, secrets } = deps.session();
      const beneficiaryPublicKey = await publicKey(net, index);
      const bytes = await createKeyStatement(deps.bls, secrets.bls, identity.cid, {
        network: net,
        beneficiaryPublicKey,
      });
      return { cid: decodeEnvelope(bytes).cid.toString(), bytes };
    },

    /**
     * Recovers k = f + b from the order reply and the redemption reply (their opened contents, DAG-CBOR),
     * after checking the order reply against this identity's B for `index`.
     */
    async recover(args: {
      order: string;
      network: BitcoinNetwork;
      index: number;
      orderReply: Uint8Array;
      redeemReply: Uint8Array;
    }): Promise<RecoveredKey> {
      const beneficiaryPublicKey = await publicKey(args.network, args.index);
      const order = verifyOrderReply(decodeStrict(args.orderReply), {
        order: args.order,
        network: args.network,
        beneficiaryPublicKey,
      });
      return withShare(args.network, args.index, (b) => recoverPrivateKey(order, decodeStrict(args.redeemReply), b));
    },
  };
}

export type BitcoinApi = ReturnType<typeof bitcoinApi>;
