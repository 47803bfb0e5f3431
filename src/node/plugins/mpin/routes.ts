/**
 * The plugin's own routes, under /v1/plugins/mpin/:
 *   GET  /               what this node does for M-Pin (issuer identity, authentication server status)
 *   POST /server/setup   obtain and add the server-secret shares now (authentication servers only)
 *   POST /login          verify a one-pass login (JSON, login.ts): 200 {accepted, id, time | reason}
 * Issuing is not here: it is an "mpin/order" through POST /v1/orders (issue.ts).
 *
 * Neither POST carries a signed envelope, on purpose. The setup only fills
 * a cache with values fixed by the configuration (it cannot change which
 * issuers are used or what they give); a login is itself the proof, and
 * carries its own freshness and replay checks (auth-server.ts).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../types.ts';
import type { AuthRole } from './auth-role.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { parseLogin } from './login.ts';
import { AUTH_SERVER_STATUS } from './openapi.ts';

const error = (description: string) => ({ description, $ref: 'Error#' });
const point = {
  type: 'string', contentEncoding: 'base64', description: 'a G1 point, 97 bytes (Milagro encoding), base64',
};
const days = { type: 'integer', minimum: 1, description: 'UTC days since the epoch' };

const rolesSchema = {
  summary: 'What this node does for M-Pin: issuer identity, authentication-server status',
  response: {
    200: {
      description: 'roles',
      type: 'object', required: ['issuer', 'authServer'],
      properties: {
        issuer: {
          type: 'object', properties: { identity: { type: 'string' }, registeredServers: { type: 'integer' } },
        },
        authServer: {
          oneOf: [{ type: 'null' }, AUTH_SERVER_STATUS],
          description: 'null when the node is not an authentication server',
        },
      },
    },
  },
};

const setupSchema = {
  summary: 'Obtain and add the server-secret share of every configured issuer now (authentication servers only)',
  description: 'No envelope: it only fills a cache with values fixed by the configuration. Body ignored.',
  response: {
    200: { description: 'status after the setup', ...AUTH_SERVER_STATUS },
    400: error('bad_request: this node is not an authentication server'),
    503: error('not_ready: an issuer could not be reached or refused (named in the message); ' +
      'retried at most every 2 s'),
  },
};

const verdict = {
  oneOf: [
    {
      type: 'object', required: ['accepted', 'id', 'time'],
      properties: { accepted: { const: true }, id: { type: 'string' }, time: { type: 'integer' } },
    },
    {
      type: 'object', required: ['accepted', 'id', 'reason'],
      properties: {
        accepted: { const: false }, id: { type: 'string' },
        reason: { enum: ['stale', 'replayed', 'date', 'permit_required', 'locked', 'refused'] },
      },
    },
  ],
};

const loginSchema = {
  summary: 'Verify a one-pass M-Pin login',
  description: 'No envelope: the login is itself the proof, with its own freshness and replay checks.',
  body: {
    type: 'object', required: ['id', 'time', 'v'], additionalProperties: false,
    properties: {
      id: { type: 'string', description: 'the client\'s identity CID' },
      time: { type: 'integer', description: 'unix seconds bound into the challenge' },
      u: point,
      ut: { ...point, description: 'with a time permit: U+T (then date is required and u ignored)' },
      date: days,
      v: point,
    },
  },
  response: {
    200: { description: 'the verdict', ...verdict },
    400: error('malformed (JSON, base64, lengths), invalid_point, or bad_request (not an authentication server)'),
    503: error('not_ready (the server-secret shares are missing) or unavailable (too many recent logins)'),
  },
};

export interface RouteState {
  readonly ctx: PluginContext;
  readonly role: AuthRole | undefined;
  readonly servers: number;
}

function roleOf(s: RouteState): AuthRole {
  if (!s.role) throw new MpinError('bad_request', 'this node is not an M-Pin authentication server');
  return s.role;
}

export async function mpinRoutes(app: FastifyInstance, s: RouteState): Promise<void> {
  app.get('/', { schema: rolesSchema }, async () => ({
    issuer: { identity: s.ctx.node.cid.toString(), registeredServers: s.servers },
    authServer: s.role ? s.role.status() : null,
  }));

  app.post('/server/setup', { schema: setupSchema }, async () => {
    const role = roleOf(s);
    await role.ensureReady();
    return role.status();
  });

  app.post('/login', { schema: loginSchema }, async (req) => {
    const role = roleOf(s);
    if (req.body instanceof Uint8Array) throw new MpinError('malformed', 'send the login as JSON');
    const login = parseLogin(req.body);
    const result = await role.login(login);
    s.ctx.log.info(result.accepted ? 'login accepted' : 'login refused', {
      id: result.id,
      ...(result.accepted ? {} : { reason: result.reason }),
    });
    return result;
  });
}
