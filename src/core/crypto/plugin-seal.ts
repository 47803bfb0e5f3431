/**
 * A secret sealed to one node alone, for one plugin: HPKE base mode (X-Wing, the envelopes' suite) to the node's
 * identity X-Wing key, with
 *
 *   info = "dta/plugin-seal/v1\0" || the plugin's name
 *   aad  = what the plugin binds the secret to (who sealed it, for whom, in which slot)
 *
 * Anyone may seal (a public key is enough); only the node opens, and it opens for a plugin only what was sealed
 * under that plugin's name: the info separates these seals from envelope key slots, from DKG shares and from
 * every other plugin's, so the opening capability the node hands a plugin decrypts nothing else.
 * docs/protocol.md#resharing-a-custody-group uses it for the subshares an old holder deals.
 * @module
 */
import { concat, utf8 } from '../bytes.ts';
import { hpke } from './hpke.ts';

/** The encapsulation and the AEAD ciphertext of one sealed secret. */
export interface PluginSealed {
  readonly enc: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const INFO_PREFIX = utf8('dta/plugin-seal/v1\0');
const infoOf = (plugin: string): Uint8Array => concat(INFO_PREFIX, utf8(plugin));

/** Seals `secret` to the node whose identity X-Wing key is `recipientXwing`, for `plugin`, bound to `aad`. */
export function sealForPlugin(
  plugin: string,
  recipientXwing: Uint8Array,
  aad: Uint8Array,
  secret: Uint8Array,
): PluginSealed {
  return hpke.seal(recipientXwing, infoOf(plugin), aad, secret);
}

/** The secret of `sealed`, opened with the node's X-Wing seed; DecryptionError when it was not sealed so. */
export function openForPlugin(
  plugin: string,
  xwingSeed: Uint8Array,
  aad: Uint8Array,
  sealed: PluginSealed,
): Uint8Array {
  return hpke.open(sealed.enc, xwingSeed, infoOf(plugin), aad, sealed.ciphertext);
}
