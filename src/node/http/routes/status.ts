/**
 * GET /openapi.json, GET /v1/status and GET /.well-known/dta (discovery).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { NodeRuntime } from '../../node.ts';
import { SUITES, VERSION } from '../../node.ts';
import { toBase64 } from '../auth.ts';
import { openApiDocument } from '../openapi.ts';

export function statusRoutes(runtime: () => NodeRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/openapi.json', async () => openApiDocument(runtime().plugins.documented(), VERSION));

    app.get('/v1/status', async () => {
      const rt = runtime();
      return {
        identity: rt.identity.cid.toString(),
        name: rt.identity.value.name,
        version: VERSION,
        plugins: rt.plugins.list(),
        peers: rt.blocks.peers(),
        libp2p: rt.blocks.addresses(),
        http: rt.httpUrls(),
        uptime: Math.round((Date.now() - rt.started) / 1000),
      };
    });

    app.get('/.well-known/dta', async () => {
      const rt = runtime();
      return {
        type: 'dta/discovery',
        version: 1,
        identity: rt.identity.cid.toString(),
        identityDocument: toBase64(rt.identity.bytes),
        http: rt.httpUrls(),
        libp2p: rt.blocks.addresses(),
        plugins: rt.plugins.names(),
        suites: SUITES,
      };
    });
  };
}
