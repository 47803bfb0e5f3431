/**
 * Hierarchical keys (BIP-32) and mnemonics (BIP-39), through @scure/bip32
 * and @scure/bip39, with the checks an order needs around them:
 *  - the node only ever sees extended PUBLIC keys; an extended private key
 *    in an order is refused (and wiped), never parsed further or echoed;
 *  - the key's version bytes must be the order's network (xpub on mainnet,
 *    tpub on testnet and regtest);
 *  - paths are parsed here, strictly: "m" or "m/..." or a bare "0/1/...",
 *    indices below 2^31, "'" or "h" for hardened, at most 255 levels in all.
 * https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki
 * https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki
 * @module
 */
import { HARDENED_OFFSET, HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { badRequest } from './errors.ts';
import type { Network } from './network.ts';

export { HDKey };

/** BIP-32 serializes the depth in one byte. */
const MAX_DEPTH = 255;
const MAX_PATH_CHARS = 2048;
const MAX_EXTENDED_KEY_CHARS = 120; // 78 bytes + checksum in base58 is 111 characters

/** Child indices of a path (hardened ones with the 2^31 bit set). */
export function parsePath(path: unknown, options: { allowHardened: boolean }, field = 'path'): number[] {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_CHARS)
    throw badRequest(`${field}: not a derivation path`);
  const parts = path.split('/');
  if (parts[0] === 'm') parts.shift();
  if (parts.length > MAX_DEPTH) throw badRequest(`${field}: more than ${MAX_DEPTH} levels`);
  return parts.map((part) => parseIndex(part, options.allowHardened, field));
}

function parseIndex(part: string, allowHardened: boolean, field: string): number {
  const m = /^(0|[1-9][0-9]{0,9})(['hH]?)$/.exec(part);
  if (!m) throw badRequest(`${field}: each level is a decimal index, optionally followed by ' or h`);
  const index = Number(m[1]);
  if (index >= HARDENED_OFFSET) throw badRequest(`${field}: an index must be below 2^31`);
  if (m[2] === '') return index;
  if (!allowHardened) throw badRequest(`${field}: hardened levels cannot be derived from a public key`);
  return index + HARDENED_OFFSET;
}

/** Derives along child indices; fails (probability ~2^-127 per level) when a child key is invalid. */
function deriveIndices(key: HDKey, indices: readonly number[], field: string): HDKey {
  if (key.depth + indices.length > MAX_DEPTH)
    throw badRequest(`${field}: the derived key would be deeper than ${MAX_DEPTH}`);
  let node = key;
  for (const index of indices) {
    try {
      node = node.deriveChild(index);
    } catch {
      throw badRequest(`${field}: derivation hit an invalid child key; use another index`);
    }
  }
  return node;
}

/** An extended public key for `net`; extended private keys and other versions are refused. */
export function parseExtendedPublicKey(xpub: unknown, net: Network, field = 'xpub'): HDKey {
  if (typeof xpub !== 'string' || xpub.length === 0 || xpub.length > MAX_EXTENDED_KEY_CHARS) {
    throw badRequest(`${field}: not an extended public key`);
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(xpub, net.bip32);
  } catch {
    throw badRequest(
      `${field}: not a valid ${net.name} extended public key (${net.name === 'mainnet' ? 'xpub' : 'tpub'})`,
    );
  }
  if (key.privateKey) {
    key.wipePrivateData();
    throw badRequest(`${field}: an extended private key must never be sent; send the extended public key`);
  }
  return key;
}

/** The compressed public key at `path` below an xpub (public derivation: no hardened levels). */
export function derivePublicKey(xpub: unknown, path: unknown, net: Network): Uint8Array {
  const key = parseExtendedPublicKey(xpub, net);
  const child = deriveIndices(key, parsePath(path, { allowHardened: false }), 'path');
  return child.publicKey!;
}

/** The extended private key for `net` (client side only). */
export function parseExtendedPrivateKey(xprv: unknown, net: Network, field = 'xprv'): HDKey {
  if (typeof xprv !== 'string' || xprv.length === 0 || xprv.length > MAX_EXTENDED_KEY_CHARS) {
    throw badRequest(`${field}: not an extended private key`);
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(xprv, net.bip32);
  } catch {
    throw badRequest(`${field}: not a valid ${net.name} extended private key`);
  }
  if (!key.privateKey) throw badRequest(`${field}: an extended public key has no secret`);
  return key;
}

/** The child of a private (or public) HD key at `path`, hardened levels allowed when the key is private. */
export function deriveKey(key: HDKey, path: unknown, field = 'path'): HDKey {
  return deriveIndices(key, parsePath(path, { allowHardened: key.privateKey !== null }), field);
}

/** The master key of a BIP-39 English mnemonic (checksum checked) and passphrase. */
export function masterKeyFromMnemonic(mnemonic: string, passphrase: string, net: Network): HDKey {
  if (typeof mnemonic !== 'string' || !validateMnemonic(mnemonic.normalize('NFKD'), english)) {
    throw badRequest('mnemonic: not a valid BIP-39 English mnemonic');
  }
  const seed = mnemonicToSeedSync(mnemonic, passphrase);
  try {
    return HDKey.fromMasterSeed(seed, net.bip32);
  } finally {
    seed.fill(0);
  }
}

/** The master key of a seed (BIP-32: 16 to 64 bytes). */
export function masterKeyFromSeed(seed: Uint8Array, net: Network): HDKey {
  if (!(seed instanceof Uint8Array) || seed.length < 16 || seed.length > 64) throw badRequest('seed: 16 to 64 bytes');
  return HDKey.fromMasterSeed(seed, net.bip32);
}
