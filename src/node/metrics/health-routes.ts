/**
 * GET /healthz (the process answers), GET /readyz (its dependencies do:
 * readiness.ts) and GET /metrics (Prometheus text: registry.ts). /metrics
 * says how busy the node is and which plugins it runs, so by default it
 * answers only this machine: a loopback peer that is not a proxy forwarding
 * someone else (no Forwarded / X-Forwarded-For / X-Real-IP header), or
 * anyone with the configured bearer token. README, "Health, metrics and logs".
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';
import type { Readiness } from './readiness.ts';
import type { NodeMetrics } from './registry.ts';

export interface HealthRoutesOptions {
  readonly readiness: Readiness;
  /** The metrics to serve at /metrics; undefined: no /metrics route here. */
  readonly metrics: NodeMetrics | undefined;
  /** open: to anyone reaching the listener; loopback: this machine, or the token. */
  readonly access: 'open' | 'loopback';
  readonly token: string | undefined;
}

const checks = {
  type: 'object',
  description: 'each dependency: "ok" or why it is not',
  additionalProperties: { type: 'string' },
};

const healthzSchema = {
  summary: 'Liveness: the process answers (asks nothing of the stores, Helia or a database)',
  response: {
    200: {
      description: 'alive',
      type: 'object',
      required: ['status'],
      properties: { status: { const: 'ok' } },
    },
  },
};

const readyzSchema = {
  summary: 'Readiness: stores open, Helia started, keystore unlocked, database reachable when configured',
  response: {
    200: {
      description: 'ready to serve',
      type: 'object',
      required: ['status', 'checks'],
      properties: { status: { const: 'ready' }, checks },
    },
    503: {
      description: 'unavailable: a dependency is not ready (error.message names it; checks has each one)',
      type: 'object',
      required: ['error', 'checks'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { const: 'unavailable' }, message: { type: 'string' } },
        },
        checks,
      },
    },
  },
};

const metricsSchema = {
  summary: 'Prometheus metrics (text exposition format): requests, latency, orders, refusals, storage, process',
  response: {
    200: {
      description: 'the metrics',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
    ...errorResponses(['forbidden']),
  },
};

/** Loopback peers only; a proxy on this machine forwarding a remote client says so in one of these headers. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function isLoopbackPeer(req: FastifyRequest): boolean {
  const peer = req.socket.remoteAddress ?? '';
  const loopback = peer === '::1' || /^(::ffff:)?127\./.test(peer);
  return loopback && PROXY_HEADERS.every((h) => req.headers[h] === undefined);
}

/** Equal digests of the presented and configured tokens, compared in constant time. */
function hasToken(req: FastifyRequest, token: string | undefined): boolean {
  const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined || presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

export function healthRoutes(options: HealthRoutesOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/healthz', { schema: healthzSchema }, async () => ({ status: 'ok' }));

    app.get('/readyz', { schema: readyzSchema }, async (_req, reply) => {
      const report = await options.readiness.check();
      if (report.ready) return { status: 'ready', checks: report.checks };
      const failed = Object.keys(report.checks).filter((name) => report.checks[name] !== 'ok');
      const message = `not ready: ${failed.map((name) => `${name} (${report.checks[name]})`).join(', ')}`;
      return reply.code(503).send({ error: { code: 'unavailable', message }, checks: report.checks });
    });

    const metrics = options.metrics;
    if (!metrics) return;
    app.get('/metrics', { schema: metricsSchema }, async (req, reply) => {
      const allowed = options.access === 'open' || isLoopbackPeer(req) || hasToken(req, options.token);
      if (!allowed)
        throw new ApiError('forbidden', 'metrics are served to this machine or with the metrics token only');
      return reply.type(metrics.contentType).send(await metrics.render(true));
    });
  };
}
