/**
 * The client side of a commitment's details (`POST /v1/plugins/bitcoin/orders/:id`): F, the commitment and
 * its proof, without address or B. The node answers only the order's principal and beneficiary, so the
 * request is a "bitcoin/details" envelope { order } signed by one of them and sealed to the node (fresh and
 * never replayed, like every signed request).
 * @module
 */

import type { NodeSession } from '../../core/api/session.ts';
import { fromHex, toBase64 } from '../../core/bytes.ts';
import { struct, text } from '../../core/schema.ts';
import type { AddressType } from './address.ts';
import { COMMITMENT_BYTES, PROOF_BYTES } from './commitment.ts';
import { PUBLIC_BYTES } from './keys.ts';
import type { NetworkName } from './network.ts';
import { addressTypeField, networkField, parseBitcoinInput } from './schema.ts';

export const DETAILS_TYPE = 'bitcoin/details';

export interface CommitmentDetails {
  readonly order: string;
  readonly network: NetworkName;
  readonly addressType: AddressType;
  readonly fiduciaryPublicKey: Uint8Array;
  readonly commitment: Uint8Array;
  readonly proof: Uint8Array;
}

const hexOf = (bytes: number) => text({ minBytes: 2 * bytes, maxBytes: 2 * bytes });
const DETAILS_REPLY = struct({
  order: text({ minBytes: 1, maxBytes: 256 }),
  network: networkField,
  addressType: addressTypeField,
  fiduciaryPublicKey: hexOf(PUBLIC_BYTES),
  commitment: hexOf(COMMITMENT_BYTES),
  proof: hexOf(PROOF_BYTES),
});

/** Asks the session's node for the details of `order`, as one of its parties. */
export async function commitmentDetails(session: NodeSession, order: string): Promise<CommitmentDetails> {
  const request = await session.request({ type: DETAILS_TYPE, content: { order } });
  const body = { envelope: toBase64(request.bytes) };
  const answer = await session.api.pluginPost('bitcoin', `orders/${encodeURIComponent(order)}`, body);
  const reply = parseBitcoinInput(DETAILS_REPLY, answer, 'details');
  return {
    order: reply.order,
    network: reply.network,
    addressType: reply.addressType,
    fiduciaryPublicKey: fromHex(reply.fiduciaryPublicKey, 'fiduciaryPublicKey'),
    commitment: fromHex(reply.commitment, 'commitment'),
    proof: fromHex(reply.proof, 'proof'),
  };
}
