/**
 * The sender resolver RequestAuth uses: an identity this node has (registered, or its block stored here) is
 * resolved as before; one it does not have would be looked up on the peers (up to the resolve timeout) and
 * then verified, which anyone can ask for by naming a made-up sender, so those lookups share one node-wide
 * budget (RequestLimits.unknownSender): past it, 429 rate_limited until the budget refills. Registered
 * senders are never limited here. Senders resolved lately are remembered (a bounded set of CIDs), so the usual
 * request asks no store whether its sender is local.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import { RetryLaterError } from '../http/errors.ts';
import type { RequestLimits } from './request-limits.ts';

/** Senders remembered as resolved; past it the oldest is forgotten (and asked about again). */
const REMEMBERED = 4096;

export function limitedResolver(
  identities: IdentityResolver,
  isLocal: (cid: CID) => Promise<boolean>,
  limits: RequestLimits,
): IdentityResolver {
  const resolved = new Set<string>();
  return {
    async resolve(cid, options): Promise<Verified<IdentityDocument>> {
      const key = cid.toString();
      if (!resolved.has(key) && !(await isLocal(cid))) {
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
      const identity = await identities.resolve(cid, options);
      resolved.add(key);
      if (resolved.size > REMEMBERED) resolved.delete(resolved.values().next().value!);
      return identity;
    },
  };
}
