/**
 * Compressed responses (@fastify/compress): brotli or gzip, as the client's
 * Accept-Encoding prefers, for the API's JSON, /metrics and the app's
 * HTML, JS, CSS, wasm and manifest. Not compressed: bodies under 1 KiB (the
 * headers would cost more than they save), types that are compressed
 * already or random (images, fonts, application/cbor envelopes: sealed
 * bytes do not shrink), and request bodies are never inflated (the body
 * limit counts the bytes on the wire, so no zip bomb gets past it).
 * @module
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Bodies smaller than this are sent as they are. */
const MIN_BYTES = 1024;

/** Types worth compressing: text, JSON, JavaScript, XML/SVG, the web manifest, WebAssembly. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|manifest\+json|wasm|xml)|image\/svg\+xml)|\+json(;|$)/;

/** Registers compression on `app`; call it before any route (it attaches to routes as they are added). */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  // A file is streamed with its Content-Length: a small one is opted out the way the library reads it.
  app.addHook('onSend', async (req, reply, payload) => {
    const length = Number(reply.getHeader('content-length'));
    const streamed = typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';
    if (streamed && Number.isFinite(length) && length < MIN_BYTES) req.headers['x-no-compression'] = '1';
    return payload;
  });
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: MIN_BYTES,
    customTypes: COMPRESSIBLE,
    globalDecompression: false,
  });
}
