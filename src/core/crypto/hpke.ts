/**
 * HPKE base mode, single shot (RFC 9180 sections 4, 5.1, 6.1), for the suite
 * X-Wing (kem_id 0x647A) / HKDF-SHA256 (0x0001) / AES-256-GCM (0x0002).
 *
 * The KEM's 32-byte shared secret enters the key schedule as is: X-Wing
 * implements the HPKE KEM interface directly (draft-connolly-cfrg-xwing-kem,
 * "Use in HPKE"); ExtractAndExpand belongs to DHKEM (RFC 9180 4.1) and is
 * not applied. Only the one message at sequence number 0 is ever sealed per
 * encapsulation, so the nonce is base_nonce itself.
 * Spelled out for envelopes in docs/protocol.md#sealing.
 * @module
 */

import { concat, equalBytes, i2osp, utf8, wipe } from '../bytes.ts';
import { BadArgumentError } from '../errors.ts';
import { aes256gcm } from './aead.ts';
import { DecryptionError, InvalidKeyError } from './errors.ts';
import { hkdfExpand, hkdfExtract } from './kdf.ts';
import type { Aead, Hpke, Kem } from './types.ts';
import { xwing } from './xwing.ts';

const HPKE_V1 = utf8('HPKE-v1');
export const KDF_HKDF_SHA256 = 0x0001;
export const AEAD_AES_256_GCM = 0x0002;
const MODE_BASE = 0x00;

/** suite_id = "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2) (RFC 9180 5.1). */
export function suiteId(kemId: number, kdfId: number, aeadId: number): Uint8Array {
  return concat(utf8('HPKE'), i2osp(kemId, 2), i2osp(kdfId, 2), i2osp(aeadId, 2));
}

/** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm) (RFC 9180 4). */
function labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return hkdfExtract(salt, concat(HPKE_V1, suite, utf8(label), ikm));
}

/** LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L) (RFC 9180 4). */
function labeledExpand(
  suite: Uint8Array,
  prk: Uint8Array,
  label: string,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdfExpand(prk, concat(i2osp(length, 2), HPKE_V1, suite, utf8(label), info), length);
}

/**
 * key_schedule_context = mode || psk_id_hash || info_hash for mode_base with the default empty psk_id
 * (RFC 9180 5.1). It depends on public values only, so makeHpke derives it once per info.
 */
function baseContext(suite: Uint8Array, info: Uint8Array): Uint8Array {
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(suite, empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(suite, empty, 'info_hash', info);
  return concat(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
}

/** The secret half of the key schedule: the AEAD key (nk bytes) and base_nonce (nn bytes) from a context. */
function keysOf(
  suite: Uint8Array,
  sharedSecret: Uint8Array,
  context: Uint8Array,
  nk: number,
  nn: number,
): { key: Uint8Array; baseNonce: Uint8Array } {
  const secret = labeledExtract(suite, sharedSecret, 'secret', new Uint8Array(0));
  try {
    return {
      key: labeledExpand(suite, secret, 'key', context, nk),
      baseNonce: labeledExpand(suite, secret, 'base_nonce', context, nn),
    };
  } finally {
    wipe(secret);
  }
}

/**
 * KeySchedule for mode_base with the default empty psk and psk_id (RFC 9180 5.1):
 * the AEAD key (nk bytes) and base_nonce (nn bytes). The exporter secret is not derived (no export API).
 */
export function keyScheduleBase(
  suite: Uint8Array,
  sharedSecret: Uint8Array,
  info: Uint8Array,
  nk: number,
  nn: number,
): { key: Uint8Array; baseNonce: Uint8Array } {
  return keysOf(suite, sharedSecret, baseContext(suite, info), nk, nn);
}

/** baseContext remembered for the last info used (the protocol uses one info per purpose). */
function contextCache(suite: Uint8Array): (info: Uint8Array) => Uint8Array {
  let lastInfo: Uint8Array | undefined;
  let lastContext: Uint8Array | undefined;
  return (info) => {
    if (lastInfo && lastContext && equalBytes(lastInfo, info)) return lastContext;
    lastContext = baseContext(suite, info);
    lastInfo = info.slice();
    return lastContext;
  };
}

/** HPKE base mode over `kem`, HKDF-SHA256 and an AES-GCM `aead` with `aeadId` and key size `nk`. */
function makeHpke(kem: Kem, aead: Aead, aeadId: number, nk: number): Hpke {
  const suite = suiteId(kem.id, KDF_HKDF_SHA256, aeadId);
  const contextOf = contextCache(suite);
  const bytes = (args: Record<string, unknown>): void => {
    for (const [what, v] of Object.entries(args)) {
      if (!(v instanceof Uint8Array)) throw new BadArgumentError(`hpke: ${what} must be a Uint8Array`);
    }
  };
  return Object.freeze({
    suiteId: suite,
    seal(pk: Uint8Array, info: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, eseed?: Uint8Array) {
      bytes({ info, aad, plaintext });
      const { sharedSecret, enc } = kem.encap(pk, eseed);
      const { key, baseNonce } = keysOf(suite, sharedSecret, contextOf(info), nk, 12);
      try {
        return { enc, ciphertext: aead.seal(key, baseNonce, aad, plaintext) };
      } finally {
        wipe(sharedSecret, key);
      }
    },
    open(enc: Uint8Array, sk: Uint8Array, info: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array) {
      bytes({ info, aad, ciphertext });
      let sharedSecret: Uint8Array;
      try {
        sharedSecret = kem.decap(enc, sk);
      } catch (e) {
        // A refused encapsulation is a ciphertext that does not open, like a bad tag.
        if (e instanceof InvalidKeyError) throw new DecryptionError(`hpke.open: ${e.message}`);
        throw e;
      }
      const { key, baseNonce } = keysOf(suite, sharedSecret, contextOf(info), nk, 12);
      try {
        return aead.open(key, baseNonce, aad, ciphertext);
      } finally {
        wipe(sharedSecret, key);
      }
    },
  });
}

/** The protocol's HPKE: X-Wing / HKDF-SHA256 / AES-256-GCM, suite_id "HPKE" 0x647A 0x0001 0x0002. */
export const hpke: Hpke = makeHpke(xwing, aes256gcm, AEAD_AES_256_GCM, 32);
