/**
 * How long a client may take and how many connections it may hold (issue 13, F2: stalled request bodies held
 * every file descriptor until a legitimate order failed with EMFILE). Node's own timeouts, checked often
 * enough to matter: the headers within headersTimeoutMs, the whole request within requestTimeoutMs (408
 * request_timeout, JSON, written by errors.ts#clientErrorResponse), an idle keep-alive connection closed after
 * keepAliveTimeoutMs, a silent socket after twice requestTimeoutMs. Past maxConnections open connections, a
 * request is answered 503 unavailable with Retry-After and its connection closed; past a small headroom above
 * that, Node drops new connections outright, so the file descriptors the node uses stay bounded.
 * @module
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { RetryLaterError } from './errors.ts';

export interface ConnectionLimits {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

/** The fastify options that set the timeouts (the server is made by fastify, so they go in at its creation). */
export function timeoutOptions(l: ConnectionLimits) {
  return {
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    // A socket silent this long is closed: a backstop behind the two timeouts above, which answer 408 first.
    connectionTimeout: 2 * l.requestTimeoutMs,
    http: {
      headersTimeout: l.headersTimeoutMs,
      // Node looks for expired requests every 30 s by default, which would let a 1 s timeout run 30 s.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(l.headersTimeoutMs / 4))),
    },
  };
}

/** Headroom above the cap in which a request still gets its 503, rather than its connection being dropped. */
function headroom(max: number): number {
  return Math.max(16, Math.ceil(max / 8));
}

/** The connection cap on `app`'s server; call before any other onRequest hook, so an extra request does nothing. */
export function capConnections(app: FastifyInstance, max: number): void {
  const overCap = new WeakSet<Socket>();
  let open = 0;
  app.server.maxConnections = max + headroom(max);
  app.server.prependListener('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => open--);
    if (open > max) overCap.add(socket);
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!overCap.has(req.raw.socket)) return;
    void reply.header('connection', 'close');
    throw new RetryLaterError('unavailable', `the node has its ${max} connections open; retry in 1 s`, 1);
  });
}
