/**
 * Compressed responses (@fastify/compress): brotli or gzip, as the client's Accept-Encoding prefers, for what
 * compresses, decided once per route when it is added (docs/protocol.md#compression):
 * - the app's files and /openapi.json (static text: HTML, JS, CSS, wasm, manifest, JSON) at the library's
 *   levels (brotli 4, gzip 6); the app's files are compressed once per version of a file, not here
 *   (static-copies.ts: app-static.ts sends them compressed, and the library lets them through);
 * - other GET replies (/metrics, listings, the log's checkpoints) at the cheapest levels (brotli 1, gzip 1): they
 *   are made per request, so a level that costs more CPU than it saves bytes is not worth it;
 * - never the replies that carry envelopes, identity documents or signatures: every POST (an order step's reply
 *   is mostly a base64 sealed envelope), GET /v1/orders/{id} (a chain of envelopes) and GET
 *   /v1/identities/{cid}. Ciphertext and keys in base64 shrink by a quarter at best, for a brotli pass per reply.
 * Not compressed either: bodies under 1 KiB (the headers would cost more than they save), types that are
 * compressed already or random (images, fonts, application/cbor, tiles), and request bodies are never inflated
 * (the body limit counts the bytes on the wire, so no zip bomb gets past it).
 * @module
 */
import { constants } from 'node:zlib';
import compress, { type FastifyCompressOptions } from '@fastify/compress';
import type { FastifyInstance, onSendHookHandler, RouteOptions } from 'fastify';
import { APP_STATIC_ROUTES } from './app-static.ts';
import { COMPRESSIBLE, MIN_COMPRESSED_BYTES as MIN_BYTES } from './static-copies.ts';

/** Static text: the library's levels (brotli 4 and gzip 6 cost a few ms on a 300 kB script, and save most). */
const STATIC: FastifyCompressOptions = {
  encodings: ['br', 'gzip'],
  threshold: MIN_BYTES,
  customTypes: COMPRESSIBLE,
  globalDecompression: false,
};

/** Replies made per request: the cheapest levels, most of the gain of text for a fraction of the CPU. */
const DYNAMIC: FastifyCompressOptions = {
  ...STATIC,
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } },
  zlibOptions: { level: 1 },
};

/** Routes whose replies are mostly base64 of ciphertext, keys or signatures: not compressed (besides every POST). */
const ENVELOPE_ROUTES = new Set(['/v1/orders/:id', '/v1/identities/:cid']);

const STATIC_ROUTES = new Set(['/openapi.json', ...APP_STATIC_ROUTES.map((r) => r.url)]);

/** What compression a route gets: false (none), the dynamic levels, or undefined (the static ones). */
function compressionOf(route: RouteOptions): false | FastifyCompressOptions | undefined {
  const methods = [route.method].flat();
  if (methods.includes('POST') || ENVELOPE_ROUTES.has(route.url)) return false;
  return STATIC_ROUTES.has(route.url) ? undefined : DYNAMIC;
}

/**
 * A file is streamed with its Content-Length: a small one is opted out the way the library reads it. Only on
 * the app's route, the one that streams files.
 */
const smallFileUncompressed: onSendHookHandler = async (req, reply, payload) => {
  const length = Number(reply.getHeader('content-length'));
  const streamed = typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';
  if (streamed && Number.isFinite(length) && length < MIN_BYTES) req.headers['x-no-compression'] = '1';
  return payload;
};

/** Registers compression on `app`; call it before any route (it attaches to routes as they are added). */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  // Added before the library's own onRoute hook, so the route's choice is made when the library reads it.
  app.addHook('onRoute', (route) => {
    const chosen = compressionOf(route);
    if (chosen !== undefined) (route as RouteOptions & { compress?: unknown }).compress = chosen;
    if (APP_STATIC_ROUTES.some((r) => r.url === route.url)) {
      route.onSend = [...[route.onSend ?? []].flat(), smallFileUncompressed];
    }
  });
  await app.register(compress, STATIC);
}
