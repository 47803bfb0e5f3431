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
  app.get('/', async () => ({
    issuer: { identity: s.ctx.node.cid.toString(), registeredServers: s.servers },
    authServer: s.role ? s.role.status() : null,
  }));

  app.post('/server/setup', async () => {
    const role = roleOf(s);
    await role.ensureReady();
    return role.status();
  });

  app.post('/login', async (req) => {
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
