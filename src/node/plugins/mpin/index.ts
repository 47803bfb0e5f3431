/**
 * mpin: the node as an M-Pin issuing authority and, optionally, an M-Pin
 * authentication server (docs/architecture.md, "Actors"; the math is
 * core.mpin and docs/mpin.md). Pieces:
 *   id.ts           which M-Pin ID an identity may hold (its CID and an enrolment number)
 *   issuer.ts       this node's master-secret share and who gets which share
 *   enrolments.ts   one client-secret share per M-Pin ID, recorded; the current enrolment
 *   append-log.ts   durable append-only logs in the keystore (enrolments, lockout)
 *   issue.ts        issuing through "mpin/order" (node-signed, sealed, idempotent replies)
 *   auth-server.ts  one-pass login checks (binding, nonce, freshness, permits, revocation, lockout)
 *   auth-role.ts    obtaining the server-secret shares from the issuing nodes
 *   routes.ts       GET /, GET /enrolment/:identity, POST /server/setup, /challenge, /login
 *   config.ts       the operator's settings
 *   openapi.ts      its part of /openapi.json
 *
 * Settings come from `createMpinPlugin(settings)`, else from `ctx.config`
 * (the plugin's section of config.json, `"plugins": {"mpin": {...}}`),
 * checked when the routes are registered so bad settings stop the node,
 * else the defaults (issue client secrets and permits; no registered server; no
 * authentication server).
 * @module
 */
import type { DtaPlugin, OpenedRequest, PluginContext } from '../types.ts';
import { loadAuthIdentity } from './auth-identity.ts';
import { AuthRole } from './auth-role.ts';
import { type MpinConfig, parseMpinConfig } from './config.ts';
import { issueOrder } from './issue.ts';
import { Issuer } from './issuer.ts';
import { openapi } from './openapi.ts';
import { mpinRoutes } from './routes.ts';

export const PLUGIN_NAME = 'mpin';
export const PLUGIN_VERSION = '1.0.0';

interface State {
  readonly config: MpinConfig;
  readonly issuer: Issuer;
  role?: Promise<AuthRole | undefined>;
}

export interface MpinPluginOptions {
  /** Unix milliseconds (tests). */
  readonly now?: () => number;
}

/** A DtaPlugin with these settings (a JSON object, config.ts), or the host's. */
export function createMpinPlugin(settings?: unknown, options: MpinPluginOptions = {}): DtaPlugin {
  const now = options.now ?? Date.now;
  const states = new WeakMap<PluginContext, State>(); // one plugin object may serve several nodes (tests)
  const stateOf = (ctx: PluginContext): State => {
    let s = states.get(ctx);
    if (!s) {
      const config = parseMpinConfig(settings ?? ctx.config ?? {});
      s = { config, issuer: new Issuer(ctx.core, ctx.keystore, config, now, ctx.dkg) };
      states.set(ctx, s);
    }
    return s;
  };
  const roleOf = (ctx: PluginContext, s: State): Promise<AuthRole | undefined> => {
    const auth = s.config.authServer;
    s.role ??=
      auth === undefined
        ? Promise.resolve(undefined)
        : loadAuthIdentity(ctx.core, ctx.keystore).then(
            (me) =>
              new AuthRole(
                ctx.core,
                auth,
                { core: ctx.core, node: ctx.node.cid, issuer: s.issuer, me, issuers: auth.issuers },
                ctx.keystore,
                now,
              ),
          );
    return s.role;
  };
  return {
    name: PLUGIN_NAME,
    version: PLUGIN_VERSION,
    openapi,
    async order(ctx: PluginContext, request: OpenedRequest) {
      const reply = await issueOrder(stateOf(ctx).issuer, request);
      ctx.log.info('share issued', {
        issue: (reply.content as { issue: string }).issue,
        to: request.sender.cid.toString(),
      });
      return reply;
    },
    async routes(app, ctx) {
      const s = stateOf(ctx);
      const session = s.config.dkg;
      if (session !== undefined && (await s.issuer.threshold())?.tag === undefined) {
        // Not a bad setting (the DKG may still be under way), but until it is done here nothing is issued.
        ctx.log.warn('the DKG session is not done on this node: issuing answers not_ready', {
          session: session.toString(),
        });
      }
      await mpinRoutes(app, { ctx, issuer: s.issuer, role: await roleOf(ctx, s), servers: s.config.servers.size });
    },
  };
}

export const plugin: DtaPlugin = createMpinPlugin();
export default plugin;
