/**
 * The failed-signature budget at the HTTP edge (issue 13, F1: forged signatures, each a pairing, starved the
 * node): every refusal with bad_signature is counted against the client's address (limits/client-key.ts), and
 * a client whose budget is spent is refused 429 rate_limited with Retry-After as its request arrives, before
 * its body is read or any signature of it checked. A client whose signatures verify spends nothing. The 429
 * itself is held back a second (at most until the budget refills), so that a few connections sending back to
 * back cannot make the node answer thousands of refusals a second instead of its legitimate clients.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { clientKey } from '../limits/client-key.ts';
import type { RequestLimits } from '../limits/request-limits.ts';
import { RetryLaterError, toErrorReply } from './errors.ts';

const HOLD_REFUSAL_MS = 1000;

export function limitFailedSignatures(app: FastifyInstance, limits: RequestLimits): void {
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'POST') return; // only requests that carry signatures
    const budget = await limits.signatureBudget(clientKey(req.ip));
    if (budget.ok) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(HOLD_REFUSAL_MS, budget.retryAfterS * 1000)));
    throw new RetryLaterError(
      'rate_limited',
      `too many requests with bad signatures from this address; retry in ${budget.retryAfterS} s`,
      budget.retryAfterS,
    );
  });
  app.addHook('onError', async (req, _reply, err) => {
    if (toErrorReply(err).body.error.code === 'bad_signature') await limits.signatureFailed(clientKey(req.ip));
  });
}
