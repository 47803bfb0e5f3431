/**
 * The HTTP server: fastify with a body limit, DAG-CBOR and JSON bodies only,
 * one error shape ({error: {code, message}}, errors.ts), CORS only for the
 * configured origins (none: no CORS headers at all), and the routes of
 * routes/*.ts. Built without listening, so tests can use inject().
 * @module
 */
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { NodeRuntime } from '../node.ts';
import { toErrorReply } from './errors.ts';
import { createRateLimiter } from './rate-limit.ts';
import { identityRoutes } from './routes/identities.ts';
import { orderRoutes } from './routes/orders.ts';
import { statusRoutes } from './routes/status.ts';

/** A route as registered: method and URL (fastify syntax, `:param`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

const ROUTES = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` so far, plugins' included (so tests can hold /openapi.json to them). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

export interface ServerOptions {
  readonly logger: false | 'fatal' | 'error' | 'warn' | 'info' | 'debug';
  readonly bodyLimit: number;
  readonly corsOrigins: readonly string[];
  /** Identity registrations per client address per minute (0 = no limit). */
  readonly registrationsPerMinute: number;
}

export async function buildServer(runtime: () => NodeRuntime, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: options.logger },
    bodyLimit: options.bodyLimit,
    // Never echo request bodies or stack traces: errors go through toErrorReply.
    logController: new LogController({ disableRequestLogging: options.logger !== 'debug' }),
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.removeContentTypeParser('text/plain'); // JSON and DAG-CBOR only: anything else is 415
  app.addContentTypeParser('application/cbor', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) req.log.error({ err: { name: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack } }, 'request failed');
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } }));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    return payload;
  });
  if (options.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...options.corsOrigins], methods: ['GET', 'POST'], allowedHeaders: ['content-type'], maxAge: 600 });
  }
  await app.register(statusRoutes(runtime));
  await app.register(identityRoutes(runtime, createRateLimiter(options.registrationsPerMinute)));
  await app.register(orderRoutes(runtime));
  return app;
}
