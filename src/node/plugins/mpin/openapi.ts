/**
 * The mpin plugin's part of /openapi.json: its routes (routes.ts) and the
 * content of its "mpin/order" envelopes (issue.ts), in DAG-JSON form.
 * @module
 */
import type { PluginOpenApi } from '../types.ts';
import { ISSUE_KINDS } from '../../../plugins/mpin/issue-messages.ts';

const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const point = { type: 'string', contentEncoding: 'base64', description: 'a G1 point, 97 bytes (Milagro encoding), base64' };
const days = { type: 'integer', minimum: 1, description: 'UTC days since the epoch' };
const status = { $ref: '#/components/schemas/mpin.AuthServer' };

export const openapi: PluginOpenApi = {
  description: 'M-Pin: the node issues its shares of client secrets and time permits to proven identities (M-Pin ID = the identity CID) ' +
    'and server-secret shares to registered authentication servers, through "mpin/order" envelopes; configured as an authentication ' +
    'server, it adds the issuers\' server-secret shares and verifies one-pass logins.',
  errorCodes: ['not_ready'],
  schemas: {
    'mpin.AuthServer': {
      type: 'object', required: ['identity', 'issuers', 'ready', 'windowSeconds', 'requirePermit'],
      properties: {
        identity: { type: 'string', description: 'identity CID of the authentication server (its own, not the node\'s)' },
        issuers: { type: 'array', items: { type: 'string' }, description: 'identity CIDs of the issuing nodes whose shares it adds' },
        ready: { type: 'boolean', description: 'every server-secret share obtained' },
        windowSeconds: { type: 'integer' }, requirePermit: { type: 'boolean' },
        lastError: { type: 'string', description: 'why the last attempt to obtain the shares failed' },
      },
    },
  },
  paths: {
    '/': {
      get: {
        summary: 'What this node does for M-Pin: issuer identity, authentication-server status',
        responses: {
          200: {
            description: 'roles',
            content: json({
              type: 'object', required: ['issuer', 'authServer'],
              properties: {
                issuer: { type: 'object', properties: { identity: { type: 'string' }, registeredServers: { type: 'integer' } } },
                authServer: { oneOf: [{ type: 'null' }, status], description: 'null when the node is not an authentication server' },
              },
            }),
          },
        },
      },
    },
    '/server/setup': {
      post: {
        summary: 'Obtain and add the server-secret share of every configured issuer now (authentication servers only)',
        description: 'No envelope: it only fills a cache with values fixed by the configuration. Body ignored.',
        responses: {
          200: { description: 'status after the setup', content: json(status) },
          400: error('bad_request: this node is not an authentication server'),
          503: error('not_ready: an issuer could not be reached or refused (named in the message); retried at most every 2 s'),
        },
      },
    },
    '/login': {
      post: {
        summary: 'Verify a one-pass M-Pin login',
        description: 'No envelope: the login is itself the proof, with its own freshness and replay checks.',
        requestBody: {
          required: true,
          content: json({
            type: 'object', required: ['id', 'time', 'v'], additionalProperties: false,
            properties: {
              id: { type: 'string', description: 'the client\'s identity CID' }, time: { type: 'integer', description: 'unix seconds bound into the challenge' },
              u: point, ut: { ...point, description: 'with a time permit: U+T (then date is required and u ignored)' }, date: days, v: point,
            },
          }),
        },
        responses: {
          200: {
            description: 'the verdict',
            content: json({
              oneOf: [
                { type: 'object', required: ['accepted', 'id', 'time'], properties: { accepted: { const: true }, id: { type: 'string' }, time: { type: 'integer' } } },
                {
                  type: 'object', required: ['accepted', 'id', 'reason'],
                  properties: { accepted: { const: false }, id: { type: 'string' }, reason: { enum: ['stale', 'replayed', 'date', 'permit_required', 'locked', 'refused'] } },
                },
              ],
            }),
          },
          400: error('malformed (JSON, base64, lengths), invalid_point, or bad_request (not an authentication server)'),
          503: error('not_ready (the server-secret shares are missing) or unavailable (too many recent logins)'),
        },
      },
    },
  },
  steps: {
    order: {
      summary: 'a share for the sender: its client secret, a time permit for today or tomorrow, or (registered servers) a server secret; the reply is sealed to the sender alone',
      content: {
        type: 'object', required: ['issue'], additionalProperties: false,
        properties: { issue: { enum: [...ISSUE_KINDS] }, date: { ...days, description: 'with issue "permit" only: today or tomorrow' } },
      },
      reply: {
        type: 'object', required: ['issue', 'share'], additionalProperties: false,
        properties: {
          issue: { enum: [...ISSUE_KINDS] },
          share: { allOf: [{ $ref: '#/components/schemas/DagBytes' }], description: 'G1, 97 bytes (client secret, permit) or G2, 192 bytes (server secret)' },
          id: { type: 'string', description: 'the M-Pin ID (client secret, permit)' }, date: days,
        },
      },
    },
  },
};
