/**
 * /metrics, /healthz and /readyz on a listener of their own
 * (`metricsHost:metricsPort`), for a Prometheus or an orchestrator on a
 * private network while the API listens elsewhere. It serves nothing else.
 * @module
 */
import Fastify from 'fastify';
import { toErrorReply } from '../http/errors.ts';
import { SHARED_SCHEMAS } from '../http/schemas.ts';
import { explainHttpListenError } from '../listen-ports.ts';
import { healthRoutes } from './health-routes.ts';
import type { Readiness } from './readiness.ts';
import type { NodeMetrics } from './registry.ts';

export interface MetricsListener {
  readonly url: string;
  close(): Promise<void>;
}

export interface MetricsListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly readiness: Readiness;
  /** undefined: metrics are off (the listener still answers /healthz and /readyz). */
  readonly metrics: NodeMetrics | undefined;
  /** With a token, only this machine and holders of the token read /metrics; without, whoever reaches it. */
  readonly token: string | undefined;
}

export async function startMetricsListener(o: MetricsListenerOptions): Promise<MetricsListener> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema); // the routes' error replies refer to them
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } }),
  );
  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = toErrorReply(err);
    return reply.code(status).send(body);
  });
  await app.register(
    healthRoutes({
      readiness: o.readiness,
      metrics: o.metrics,
      access: o.token === undefined ? 'open' : 'loopback',
      token: o.token,
    }),
  );
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (err) {
    await app.close();
    throw explainHttpListenError(err, o.host, o.port, true);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  return { url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`, close: () => app.close() };
}
