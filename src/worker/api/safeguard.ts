/**
 * A safeguarded secret released to its beneficiary: the node's redemption reply (sealed to us, handed in by the
 * page as bytes) is verified as the node's answer to our redemption, opened here and checked against the node's
 * commitments; the page gets the secret alone, which is what the person asked to see, never the opened envelope.
 * @module
 */
import * as Comlink from 'comlink';
import { wipe } from '../../core/bytes.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import { SafeguardError } from '../../plugins/safeguard/errors.ts';
import { verifyRedeemReply } from '../../plugins/safeguard/reply.ts';
import type { Session } from '../vault/vault.ts';
import { type NodeReplyIn, openNodeReply } from './node-reply.ts';
import { SecretBoundaryError } from './withheld.ts';

export interface SafeguardReleaseArgs extends NodeReplyIn {
  /** The commitment of the order reply, when the order was summarised (the secret must be the committed one). */
  readonly committed?: Uint8Array;
}

export function safeguardApi(deps: { bls: BlsSigner; session: () => Session }) {
  return {
    /** The released secret of a verified redemption reply, checked against the node's commitments. */
    async release(args: SafeguardReleaseArgs): Promise<Uint8Array> {
      const opened = await openNodeReply(deps.bls, deps.session(), args, 'safeguard/redeem-reply');
      let released: Uint8Array;
      try {
        released = verifyRedeemReply(opened.content, args.order, args.committed);
      } catch (e) {
        // The shared half's refusal, by its message (it names no secret bytes).
        if (e instanceof SafeguardError) throw new SecretBoundaryError(e.message);
        throw e;
      }
      // Moved to the page, not copied: no copy of the secret stays in the worker.
      const secret = Uint8Array.from(released);
      wipe(released);
      return Comlink.transfer(secret, [secret.buffer]);
    },
  };
}

export type SafeguardApi = ReturnType<typeof safeguardApi>;
