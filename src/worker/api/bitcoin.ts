/**
 * The identity's secp256k1 keys for Bitcoin orders, derived from its secrets so that an identity backup
 * restores them too. The beneficiary's share b for order key `index` is the BIP-32 child
 *   m / 7477' / coin' / index'   (coin 0 on mainnet, 1 on testnet and regtest)
 * of the master key from seed = HKDF-SHA256(bls || xwing, salt "dta/bitcoin/v1", info "bip32 seed", 64).
 * b never leaves the worker: the page gets B = b·G, a signed key statement, and — after a redemption the worker
 * makes and checks itself — the address, and the recovered key k = f + b only when the person asks to see it.
 * @module
 */
import { concat, utf8, wipe } from '../../core/bytes.ts';
import { hkdf } from '../../core/crypto/kdf.ts';
import { decodeEnvelope } from '../../core/protocol/envelope.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import { deriveKey, masterKeyFromSeed } from '../../plugins/bitcoin/bip32.ts';
import { publicKeyOf } from '../../plugins/bitcoin/keys.ts';
import { network } from '../../plugins/bitcoin/network.ts';
import { recoverPrivateKey, verifyOrderReply } from '../../plugins/bitcoin/reply.ts';
import { createKeyStatement } from '../../plugins/bitcoin/statement.ts';
import type { FreshConfirmation, Session } from '../vault/vault.ts';
import { checkRecoverArgs, envelopeOut, nodeSessionOf, orderChainOf } from './order-chain.ts';
import type { BitcoinNetwork, BitcoinRecoverArgs, BitcoinRecovered, EnvelopeOut } from './types.ts';
import { SecretBoundaryError } from './withheld.ts';

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

/**
 * A script on the app's origin can name a node of its own, whose order reply carries an f it chose; with the key
 * it would learn b = k - f. So the key goes to the page only on the person's fresh confirmation, checked here.
 */
async function checkConfirmed(
  confirm: (c: FreshConfirmation | undefined) => Promise<void>,
  confirmation: FreshConfirmation | undefined,
): Promise<void> {
  try {
    await confirm(confirmation);
  } catch (e) {
    const why = e instanceof Error && e.name.startsWith('Vault') ? `: ${e.message}` : '';
    throw new SecretBoundaryError(`revealing the key needs a fresh confirmation${why}`);
  }
}

export function bitcoinApi(deps: {
  bls: BlsSigner;
  session: () => Session;
  /** Throws unless the confirmation is a fresh one for the unlocked identity (the vault's confirmFresh). */
  confirmFresh: (confirmation: FreshConfirmation | undefined) => Promise<void>;
}) {
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
     * Retrieves the key of a Bitcoin order this identity is the beneficiary of, all of it here: the node's identity
     * read from the node itself (held to the CID the page knows it by), the redemption made (or the one made before
     * read from the order's chain), the order's chain fetched from the node and verified, the node's order reply
     * and redemption reply verified as signed by that node for this order and opened here, the order reply checked
     * against this identity's B for `index`, and k = f + b checked to own the committed address. Nothing the page
     * hands in is taken as a reply's content: it cannot choose f to learn b. The page gets the address, the order's
     * envelopes (sealed) for its record and, only with `reveal` and the person's fresh confirmation, the key.
     */
    async recover(args: BitcoinRecoverArgs): Promise<BitcoinRecovered> {
      const a = checkRecoverArgs(args);
      if (a.reveal) await checkConfirmed(deps.confirmFresh, a.confirmation);
      const node = await nodeSessionOf(deps.bls, deps.session(), a.node);
      // The order reply first: nothing is redeemed for an order whose B is not this identity's key for `index`.
      const before = await orderChainOf(deps.bls, node, a.order);
      const replyEnv = before.steps.find(
        (e) => e.value.header.type === 'bitcoin/order-reply' && e.value.header.sender.equals(node.node.cid),
      );
      if (!replyEnv) throw new SecretBoundaryError("the order's chain has no order reply from its node");
      const order = verifyOrderReply(await node.me.openEnvelope(replyEnv), {
        order: a.order,
        network: a.network,
        beneficiaryPublicKey: await publicKey(a.network, a.index),
      });
      // Signed by the node, answering our redemption request, naming this order (checked by the session).
      const redeemed = await node.redeem('bitcoin', a.order);
      const f = (redeemed.content as { fiduciaryShare?: unknown } | undefined)?.fiduciaryShare;
      let key: ReturnType<typeof recoverPrivateKey>;
      try {
        key = withShare(a.network, a.index, (b) => recoverPrivateKey(order, redeemed.content, b));
      } finally {
        if (f instanceof Uint8Array) wipe(f); // f, as opened here: the page never had it
      }
      const out: BitcoinRecovered = {
        address: key.address,
        publicKey: key.publicKey,
        network: key.network,
        addressType: key.addressType,
        head: redeemed.envelope.cid.toString(),
        envelopes: [...before.envelopes, envelopeOut(redeemed.request), envelopeOut(redeemed.envelope)],
        ...(a.reveal ? { key: { privateKey: Uint8Array.from(key.privateKey), wif: key.wif } } : {}),
      };
      wipe(key.privateKey);
      return out;
    },
  };
}

export type BitcoinApi = ReturnType<typeof bitcoinApi>;
