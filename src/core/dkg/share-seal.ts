/**
 * A round-1 share sealed to one node alone. An envelope's sealed body is one content for all its
 * recipients, so each share is sealed in its own part: HPKE base mode (X-Wing, the envelopes' suite)
 * to the recipient's identity X-Wing key, with associated data naming the session, the sender, the
 * recipient and the share index, so a share cannot be moved to another session, sender or slot. The
 * envelope around the parts is signed by the sender, which binds every part to it.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { utf8 } from '../bytes.ts';
import { hpke } from '../crypto/hpke.ts';
import { encode } from '../protocol/cbor.ts';
import type { SealedShare } from './messages.ts';

const SHARE_INFO = utf8('dta/custody/dkg/v1 share');

interface ShareSlot {
  readonly session: CID;
  readonly sender: CID;
  readonly recipient: CID;
  /** The recipient's share index. */
  readonly index: number;
}

/** DAG-CBOR([session, sender, recipient, index]). */
const shareAad = (slot: ShareSlot): Uint8Array => encode([slot.session, slot.sender, slot.recipient, slot.index]);

export function sealShare(slot: ShareSlot, recipientXwing: Uint8Array, share: Uint8Array): SealedShare {
  const { enc, ciphertext } = hpke.seal(recipientXwing, SHARE_INFO, shareAad(slot), share);
  return { recipient: slot.recipient, enc, ciphertext };
}

/** The share in `sealed`, opened with the recipient's X-Wing seed; throws DecryptionError when it does not open. */
export function openShare(slot: ShareSlot, xwingSeed: Uint8Array, sealed: SealedShare): Uint8Array {
  return hpke.open(sealed.enc, xwingSeed, SHARE_INFO, shareAad(slot), sealed.ciphertext);
}
