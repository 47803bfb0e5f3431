/**
 * The mpin plugin's part of /openapi.json beyond its routes' schemas
 * (routes.ts): its tag, the authentication-server status schema, its error
 * code, and the content of its "mpin/order" envelopes (issue.ts), in
 * DAG-JSON form.
 * @module
 */

import { ISSUE_KINDS } from '../../../plugins/mpin/issue-messages.ts';
import type { PluginOpenApi } from '../types.ts';

const days = { type: 'integer', minimum: 1, description: 'UTC days since the epoch' };

/** What an authentication server reports (GET /, POST /server/setup). */
export const AUTH_SERVER_STATUS = {
  type: 'object',
  required: ['identity', 'issuers', 'ready', 'windowSeconds', 'requirePermit'],
  properties: {
    identity: { type: 'string', description: "identity CID of the authentication server (its own, not the node's)" },
    issuers: {
      type: 'array',
      items: { type: 'string' },
      description: 'identity CIDs of the issuing nodes whose shares it adds',
    },
    ready: { type: 'boolean', description: 'every server-secret share obtained' },
    windowSeconds: { type: 'integer' },
    requirePermit: { type: 'boolean', description: 'logins need a time permit of their day (the default)' },
    lastError: { type: 'string', description: 'why the last attempt to obtain the shares failed' },
  },
};

export const openapi: PluginOpenApi = {
  description:
    'M-Pin: the node issues its shares of client secrets and time permits to proven identities (M-Pin ID = the identity CID) ' +
    'and server-secret shares to registered authentication servers, through "mpin/order" envelopes; configured as an authentication ' +
    "server, it adds the issuers' server-secret shares and verifies one-pass logins.",
  errorCodes: ['not_ready', 'already_issued', 'revoked', 'bad_share'],
  schemas: { 'mpin.AuthServer': AUTH_SERVER_STATUS },
  steps: {
    order: {
      summary:
        'a share for the sender: its client secret (once per M-Pin ID), a time permit for today or tomorrow ' +
        '(current enrolment only), or (registered servers) a server secret; the reply is sealed to the sender alone',
      content: {
        type: 'object',
        required: ['issue'],
        additionalProperties: false,
        properties: {
          issue: { enum: [...ISSUE_KINDS] },
          date: { ...days, description: 'with issue "permit" only: today or tomorrow' },
          enrolment: {
            type: 'integer',
            minimum: 1,
            maximum: 0xffffffff,
            description:
              'client secret: the next enrolment (once per node and M-Pin ID); permit: the current one; ' +
              'absent = 0, the identity CID alone (no longer issued, still current until the identity enrols again)',
          },
        },
      },
      reply: {
        type: 'object',
        required: ['issue', 'share'],
        additionalProperties: false,
        properties: {
          issue: { enum: [...ISSUE_KINDS] },
          share: {
            allOf: [{ $ref: '#/components/schemas/DagBytes' }],
            description: 'G1, 97 bytes (client secret, permit) or G2, 192 bytes (server secret)',
          },
          id: { type: 'string', description: 'the M-Pin ID (client secret, permit)' },
          date: days,
          session: {
            allOf: [{ $ref: '#/components/schemas/DagCid' }],
            description: 't-of-n issuers (config "dkg"): the DKG session whose share s_i is',
          },
          index: { type: 'integer', minimum: 1, description: "t-of-n: this node's 1-based index in the session" },
          t: { type: 'integer', minimum: 1, description: 't-of-n: the threshold (any t shares recombine)' },
          document: {
            allOf: [{ $ref: '#/components/schemas/DagBytes' }],
            description: 't-of-n server secrets: the session document (dta/custody-dkg)',
          },
          commitments: {
            type: 'array',
            items: { $ref: '#/components/schemas/DagBytes' },
            description: "t-of-n server secrets: the DKG's Feldman commitments (compressed G1), to check s_i Q",
          },
        },
      },
    },
  },
};
