/**
 * The sender resolver RequestAuth uses: an identity this node has (registered, or its block stored here) is
 * resolved as before; one it does not have would be looked up on the peers (up to the resolve timeout) and
 * then verified, which anyone can ask for by naming a made-up sender, so those lookups share one node-wide
 * budget (RequestLimits.unknownSender): past it, 429 rate_limited until the budget refills. Registered
 * senders are never limited here.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import { RetryLaterError } from '../http/errors.ts';
import type { RequestLimits } from './request-limits.ts';

export function limitedResolver(
  identities: IdentityResolver,
  isLocal: (cid: CID) => Promise<boolean>,
  limits: RequestLimits,
): IdentityResolver {
  return {
    async resolve(cid, options): Promise<Verified<IdentityDocument>> {
      if (!(await isLocal(cid))) {
        const allowed = await limits.unknownSender();
        if (!allowed.ok) {
          throw new RetryLaterError(
            'rate_limited',
            `too many requests from identities unknown to this node; register yours (POST /v1/identities) or ` +
              `retry in ${allowed.retryAfterS} s`,
            allowed.retryAfterS,
          );
        }
      }
      return identities.resolve(cid, options);
    },
  };
}
