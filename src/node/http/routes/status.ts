/**
 * GET /v1/status and GET /.well-known/dta (discovery). (/openapi.json: openapi.ts.)
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { toBase64 } from '../../../core/bytes.ts';
import type { NodeRuntime } from '../../node.ts';
import { SUITES, VERSION } from '../../node.ts';

const strings = { type: 'array', items: { type: 'string' } };

const statusSchema = {
  summary: 'Identity CID, version, plugins, peers',
  response: {
    200: {
      description: 'status',
      type: 'object',
      required: ['identity', 'name', 'version', 'plugins', 'peers', 'libp2p', 'http', 'uptime'],
      properties: {
        identity: { type: 'string', description: 'identity CID of this node' },
        name: { type: 'string' },
        version: { type: 'string' },
        plugins: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'version'],
            properties: { name: { type: 'string' }, version: { type: 'string' } },
          },
        },
        peers: { ...strings, description: 'libp2p peer ids connected now' },
        libp2p: { ...strings, description: 'libp2p multiaddrs this node listens on' },
        http: { ...strings, description: 'HTTP URLs this node advertises' },
        uptime: { type: 'integer', description: 'seconds since start' },
      },
    },
  },
};

const discoverySchema = {
  summary: 'Discovery: identity, HTTP and libp2p addresses, suites',
  response: {
    200: {
      description: 'discovery document',
      type: 'object',
      required: ['type', 'version', 'identity', 'identityDocument', 'http', 'libp2p', 'plugins', 'suites'],
      properties: {
        type: { const: 'dta/discovery' },
        version: { const: 1 },
        identity: { type: 'string', description: 'identity CID of this node' },
        identityDocument: { type: 'string', contentEncoding: 'base64', description: 'the signed identity document' },
        http: strings,
        libp2p: strings,
        plugins: strings,
        suites: {
          type: 'object',
          description: 'encoding, CID, signature, KEM, HPKE and AEAD suites',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
};

export function statusRoutes(runtime: () => NodeRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/status', { schema: statusSchema }, async () => {
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

    app.get('/.well-known/dta', { schema: discoverySchema }, async () => {
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
