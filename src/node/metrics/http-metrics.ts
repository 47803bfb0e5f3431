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

/**
 * The per-series handles of a labelled metric, made on first use: prom-client hashes the labels object at every
 * `inc`/`observe` otherwise, a cost per request for series that are few (route templates × methods × statuses).
 */
function seriesOf<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    const known = made.get(key);
    if (known !== undefined) return known;
    const series = make(key);
    made.set(key, series);
    return series;
  };
}

/** Adds the hooks to `app` (its root: they see every route, the plugins' and the app's too). */
export function instrumentHttp(app: FastifyInstance, metrics: NodeMetrics): void {
  const codes = new WeakMap<FastifyRequest, string>();
  // Keys join labels with a newline, which no route template, method or status contains.
  const durationOf = seriesOf((key) => {
    const [route, method] = key.split('\n') as [string, string];
    return metrics.requestDuration.labels({ route, method });
  });
  const countOf = seriesOf((key) => {
    const [route, method, status] = key.split('\n') as [string, string, string];
    return metrics.requests.labels({ route, method, status });
  });
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
    countOf(`${route}\n${req.method}\n${status}`).inc();
    durationOf(`${route}\n${req.method}`).observe(seconds);
    const code = codes.get(req);
    if (code === 'bad_signature') metrics.failedSignatures.inc();
    if (code !== undefined && LIMIT_STATUSES.has(status)) metrics.rateLimited.inc({ reason: code });
    req.log.info({ route, method: req.method, status, ms: Math.round(reply.elapsedTime * 10) / 10, code }, 'request');
  });
}
