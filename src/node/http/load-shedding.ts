/**
 * Load shedding (issue 13): while the node's event loop is saturated (its mean delay over the last second
 * above maxEventLoopDelayMs, or its utilization above maxEventLoopUtilization), new requests are answered 503
 * overloaded with Retry-After at once, in the JSON error shape, instead of queueing until every client times
 * out. Measured by @fastify/under-pressure. Health and metrics stay answered, so that an orchestrator sees a
 * busy node, not a dead one: /healthz, /readyz and /metrics (the ops routes, metrics/) are exempt.
 * @module
 */
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { ERRORS } from './errors.ts';

export interface LoadSheddingLimits {
  readonly maxEventLoopDelayMs: number;
  /** A fraction, 0..1; 0 = not checked. */
  readonly maxEventLoopUtilization: number;
}

const RETRY_AFTER_S = 2;
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

export async function shedLoad(app: FastifyInstance, limits: LoadSheddingLimits): Promise<void> {
  if (limits.maxEventLoopDelayMs === 0 && limits.maxEventLoopUtilization === 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    maxEventLoopUtilization: limits.maxEventLoopUtilization,
    retryAfter: RETRY_AFTER_S,
    pressureHandler: (req, reply) => {
      if (EXEMPT.has(req.url.split('?')[0]!)) return undefined; // goes on to its route
      void reply.code(ERRORS.overloaded.status).type('application/json').header('retry-after', String(RETRY_AFTER_S));
      const body = { error: { code: 'overloaded', message: `the node is overloaded; retry in ${RETRY_AFTER_S} s` } };
      return body as unknown as undefined; // under-pressure sends what its handler returns (its types say void)
    },
  });
}
