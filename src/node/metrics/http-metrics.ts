/**
 * Request metrics and the request log, from server-wide fastify hooks: per
 * request one count and one latency observation labelled by the route
 * *template* (`/v1/orders/:id`, never the raw URL, so the number of series
 * stays bounded whatever clients ask), and one JSON log line at info with
 * the request id, route, status and duration — never a body, header or
 * query string. Refusals are read from the reply's error code, so every
 * route that refuses a bad signature or a limit is counted in one place.
 * @module
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NodeMetrics } from './registry.ts';

/** The route label of requests that matched no route (404s, probes). */
const UNMATCHED = 'unmatched';

/** Statuses whose error code counts as a limit refusal (rate limits, quotas over time, load shedding). */
const LIMIT_STATUSES = new Set([429, 503]);

/** The `code` of an error reply `{"error":{"code":"…"`, or undefined (cheap: only the start is read). */
function errorCodeOf(payload: unknown): string | undefined {
  const head =
    typeof payload === 'string'
      ? payload.slice(0, 64)
      : Buffer.isBuffer(payload)
        ? payload.subarray(0, 64).toString('latin1')
        : undefined;
  return head === undefined ? undefined : /^\{"error":\{"code":"([a-z_]{1,40})"/.exec(head)?.[1];
}

/** Adds the hooks to `app` (its root: they see every route, the plugins' and the app's too). */
export function instrumentHttp(app: FastifyInstance, metrics: NodeMetrics): void {
  const codes = new WeakMap<FastifyRequest, string>();
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode >= 400) {
      const code = errorCodeOf(payload);
      if (code) codes.set(req, code);
    }
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? UNMATCHED;
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ route, method: req.method, status: String(status) });
    metrics.requestDuration.observe({ route, method: req.method }, seconds);
    const code = codes.get(req);
    if (code === 'bad_signature') metrics.failedSignatures.inc();
    if (code !== undefined && LIMIT_STATUSES.has(status)) metrics.rateLimited.inc({ reason: code });
    req.log.info({ route, method: req.method, status, ms: Math.round(reply.elapsedTime * 10) / 10, code }, 'request');
  });
}
