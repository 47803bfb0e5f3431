/**
 * The HTTP server: fastify with a body limit, DAG-CBOR and JSON bodies only,
 * one error shape ({error: {code, message}}, errors.ts) for every refusal
 * (fastify's own parser, validation and routing errors included), CORS only
 * for the configured origins (none: no CORS headers at all), and the routes
 * of routes/*.ts, each with its JSON Schema, from which /openapi.json is
 * generated (openapi.ts). Built without listening, so tests can use inject().
 *
 * Schemas validate requests as they arrive: no type coercion and no silent
 * removal of unknown fields (a body with an extra field is refused, as the
 * routes always did). Responses are written with JSON.stringify, not
 * compiled from their schemas, so a schema never drops a field a client reads.
 * @module
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { clientKey } from '../limits/client-key.ts';
import type { RequestLimits } from '../limits/request-limits.ts';
import type { NodeRuntime } from '../node.ts';
import { isClientAbort } from './client-abort.ts';
import { registerCompression } from './compression.ts';
import { type ConnectionLimits, capConnections, timeoutOptions } from './connection-limits.ts';
import { ApiError, clientErrorResponse, RetryLaterError, toErrorReply } from './errors.ts';
import { type LoadSheddingLimits, shedLoad } from './load-shedding.ts';
import { registerOpenApi } from './openapi.ts';
import type { DocumentedPlugin } from './openapi-plugins.ts';
import { identityRoutes } from './routes/identities.ts';
import { logRoutes } from './routes/log.ts';
import { orderRoutes } from './routes/orders.ts';
import { statusRoutes } from './routes/status.ts';
import { SHARED_SCHEMAS } from './schemas.ts';
import { limitFailedSignatures } from './signature-budget.ts';

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
  /** Limits on work anyone can ask for: failed signatures, identity registrations, unknown senders. */
  readonly limits: RequestLimits;
  /** Timeouts and the connection cap (connection-limits.ts). */
  readonly connections: ConnectionLimits;
  /** When to answer 503 overloaded (load-shedding.ts). */
  readonly loadShedding: LoadSheddingLimits;
  /** The node's version, for /openapi.json. */
  readonly version: string;
  /** The plugins running on the node, read when /openapi.json is first asked for. */
  readonly plugins: () => readonly DocumentedPlugin[];
}

export async function buildServer(runtime: () => NodeRuntime, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: options.logger },
    bodyLimit: options.bodyLimit,
    // Never echo request bodies or stack traces: errors go through toErrorReply.
    logController: new LogController({ disableRequestLogging: options.logger !== 'debug' }),
    return503OnClosing: true,
    forceCloseConnections: true,
    ...timeoutOptions(options.connections),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // Refusals before any route runs get the one error shape too: a URL that does not decode, bad HTTP.
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorReply(err);
      void (reply as FastifyReply).code(status).type('application/json').send(body);
    },
    clientErrorHandler: (err, socket) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET' && socket.writable) socket.end(clientErrorResponse(err));
    },
  });
  // First, so that a request past a limit does no other work (issue 13: F1, F2, load shedding).
  capConnections(app, options.connections.maxConnections);
  await shedLoad(app, options.loadShedding);
  limitFailedSignatures(app, options.limits);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerCompression(app); // before any route: it attaches to routes as they are added
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.removeContentTypeParser('text/plain'); // JSON and DAG-CBOR only: anything else is 415
  app.addContentTypeParser(
    'application/cbor',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((err, req, reply) => {
    if (isClientAbort(err, req.raw)) {
      req.log.debug({ code: (err as NodeJS.ErrnoException).code }, 'request aborted by the client');
      return reply.code(400).send(); // the connection is gone: nothing reaches the client, nothing more to log
    }
    if (err instanceof RetryLaterError) void reply.header('retry-after', String(err.retryAfterS));
    const { status, body } = toErrorReply(err);
    if (status >= 500) {
      const e = err as Error;
      // Name, code and message, under a key pino's error serializer leaves alone: never a stack trace in the log.
      const error = { name: e.name, code: (e as NodeJS.ErrnoException).code, message: e.message };
      req.log.error({ error }, 'request failed');
    }
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send({ error: { code: 'not_found', message: 'no such route' } }),
  );
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store'); // the log's routes set theirs
    return payload;
  });
  if (options.corsOrigins.length > 0) {
    // Before @fastify/cors, which answers a preflight missing these headers in text/plain.
    app.addHook('onRequest', async (req) => {
      if (req.method === 'OPTIONS' && (!req.headers.origin || !req.headers['access-control-request-method'])) {
        throw new ApiError('bad_request', 'a CORS preflight needs Origin and Access-Control-Request-Method');
      }
    });
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type'],
      maxAge: 600,
    });
  }
  await registerOpenApi(app, { version: options.version, plugins: options.plugins });
  await app.register(statusRoutes(runtime));
  await app.register(identityRoutes(runtime, (ip) => options.limits.registration(clientKey(ip))));
  await app.register(orderRoutes(runtime));
  await app.register(logRoutes(runtime));
  return app;
}
