/**
 * The plugin's own routes, under /v1/plugins/mpin/:
 *   GET  /                     what this node does for M-Pin (issuer identity, authentication server status)
 *   GET  /enrolment/:identity  the identity's current enrolment at this issuer (what authentication servers ask)
 *   POST /server/setup         obtain and add the server-secret shares now (authentication servers only)
 *   POST /challenge            a nonce for one login (authentication servers only)
 *   POST /login                verify a one-pass login (JSON, login.ts): 200 {accepted, id, time, session | reason}
 * Issuing is not here: it is an "mpin/order" through POST /v1/orders (issue.ts).
 *
 * No POST carries a signed envelope, on purpose. The setup only fills
 * a cache with values fixed by the configuration (it cannot change which
 * issuers are used or what they give); a challenge only hands out a
 * random nonce; a login is itself the proof, and carries its own binding,
 * freshness and replay checks (auth-server.ts).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { toBase64 } from '../../../core/bytes.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity, parseIdentity } from '../../../plugins/mpin/id.ts';
import type { PluginContext } from '../types.ts';
import type { AuthRole } from './auth-role.ts';
import type { Issuer } from './issuer.ts';
import { parseLogin } from './login.ts';
import { AUTH_SERVER_STATUS } from './openapi.ts';

const error = (description: string) => ({ description, $ref: 'Error#' });
const point = {
  type: 'string',
  contentEncoding: 'base64',
  description: 'a G1 point, 97 bytes (Milagro encoding), base64',
};
const days = { type: 'integer', minimum: 1, description: 'UTC days since the epoch' };

const rolesSchema = {
  summary: 'What this node does for M-Pin: issuer identity, authentication-server status',
  response: {
    200: {
      description: 'roles',
      type: 'object',
      required: ['issuer', 'authServer'],
      properties: {
        issuer: {
          type: 'object',
          properties: {
            identity: { type: 'string' },
            registeredServers: { type: 'integer' },
            dkg: {
              type: 'object',
              description: 't-of-n issuers only: the DKG session whose share is s_i (docs/mpin.md#threshold)',
              required: ['session', 'done'],
              properties: {
                session: { type: 'string', description: 'the session CID (config "dkg")' },
                done: { type: 'boolean', description: 'this node holds its share: it issues' },
                index: { type: 'integer', description: "this node's 1-based index in the session" },
                t: { type: 'integer' },
                document: { type: 'string', contentEncoding: 'base64', description: 'the session document' },
              },
            },
          },
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
    503: error(
      'not_ready: an issuer could not be reached or refused (named in the message); ' + 'retried at most every 2 s',
    ),
  },
};

const enrolmentSchema = {
  summary: "The identity's current M-Pin enrolment at this issuer (0: none recorded)",
  description: 'Authentication servers ask each of their issuers at every login and refuse older enrolments.',
  params: { type: 'object', required: ['identity'], properties: { identity: { type: 'string', maxLength: 128 } } },
  response: {
    200: {
      description: 'the current enrolment',
      type: 'object',
      required: ['identity', 'enrolment'],
      properties: { identity: { type: 'string' }, enrolment: { type: 'integer', minimum: 0 } },
    },
    400: error('malformed: not an identity CID in canonical form'),
  },
};

const challengeSchema = {
  summary: "A nonce for one login, bound into its proof with this server's identity and the session",
  description: 'Good once, for windowSeconds. Body ignored.',
  response: {
    200: {
      description: 'the challenge',
      type: 'object',
      required: ['server', 'nonce', 'expires'],
      properties: {
        server: { type: 'string', description: 'identity CID of the authentication server' },
        nonce: { type: 'string', contentEncoding: 'base64', description: '32 bytes' },
        expires: { type: 'integer', description: 'unix seconds' },
      },
    },
    400: error('bad_request: this node is not an authentication server'),
    503: error('not_ready (the server-secret shares are missing) or unavailable (too many logins under way)'),
  },
};

const verdict = {
  oneOf: [
    {
      type: 'object',
      required: ['accepted', 'id', 'time', 'session'],
      properties: {
        accepted: { const: true },
        id: { type: 'string' },
        time: { type: 'integer' },
        session: { type: 'string' },
      },
    },
    {
      type: 'object',
      required: ['accepted', 'id', 'reason'],
      properties: {
        accepted: { const: false },
        id: { type: 'string' },
        reason: { enum: ['stale', 'replayed', 'date', 'permit_required', 'locked', 'revoked', 'refused'] },
        retryAfter: {
          type: 'integer',
          description: 'with locked, or the refusal that locks: seconds until the identity may try again',
        },
        attemptsLeft: { type: 'integer', description: 'with refused: wrong logins left before the lockout' },
      },
    },
  ],
};

const loginSchema = {
  summary: 'Verify a one-pass M-Pin login',
  description: 'No envelope: the login is itself the proof, with its own freshness and replay checks.',
  body: {
    type: 'object',
    required: ['id', 'time', 'nonce', 'session', 'v'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', description: 'the M-Pin ID: the client\'s identity CID, "#" and the enrolment (none: 0)' },
      time: { type: 'integer', description: 'unix seconds bound into the challenge' },
      nonce: { type: 'string', contentEncoding: 'base64', description: 'from POST /challenge, 32 bytes' },
      session: { type: 'string', description: 'the session the login opens (1 to 128 of A-Z a-z 0-9 . _ ~ -)' },
      u: point,
      ut: { ...point, description: 'with a time permit: U+T (then date is required and u ignored)' },
      date: days,
      v: point,
    },
  },
  response: {
    200: { description: 'the verdict', ...verdict },
    400: error('malformed (JSON, base64, lengths), invalid_point, or bad_request (not an authentication server)'),
    503: error(
      'not_ready (the server-secret shares are missing, or an issuer could not tell the current ' +
        'enrolment) or unavailable (too many recent logins)',
    ),
  },
};

export interface RouteState {
  readonly ctx: PluginContext;
  readonly issuer: Issuer;
  readonly role: AuthRole | undefined;
  readonly servers: number;
}

function roleOf(s: RouteState): AuthRole {
  if (!s.role) throw new MpinError('bad_request', 'this node is not an M-Pin authentication server');
  return s.role;
}

/** The issuer's t-of-n session for GET / (public values only), or nothing for a node that draws its s_i. */
async function dkgStatus(issuer: Issuer) {
  const th = await issuer.threshold();
  if (th === undefined) return {};
  const { tag, group } = th;
  const held = tag && group ? { index: tag.index, t: tag.t, document: toBase64(group.document) } : {};
  return { dkg: { session: th.session.toString(), done: tag !== undefined, ...held } };
}

export async function mpinRoutes(app: FastifyInstance, s: RouteState): Promise<void> {
  app.get('/', { schema: rolesSchema }, async () => ({
    issuer: { identity: s.ctx.node.cid.toString(), registeredServers: s.servers, ...(await dkgStatus(s.issuer)) },
    authServer: s.role ? s.role.status() : null,
  }));

  app.get<{ Params: { identity: string } }>('/enrolment/:identity', { schema: enrolmentSchema }, async (req) => {
    const identity = parseIdentity(req.params.identity, 'identity');
    return { identity: canonicalIdentity(identity), enrolment: await s.issuer.currentEnrolment(identity) };
  });

  app.post('/challenge', { schema: challengeSchema }, async () => {
    const c = await roleOf(s).challenge();
    return { server: c.server, nonce: toBase64(c.nonce), expires: c.expires };
  });

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
