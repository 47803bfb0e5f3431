/**
 * The operator's settings of the M-Pin plugin (a JSON object; see
 * README.md in this folder):
 *
 *   {
 *     "servers": ["bafy..."],        authentication-server identities that may receive this node's s_i Q
 *     "revoked": ["bafy..."],        identities refused client secrets and permits
 *     "authServer": {                present: this node also verifies logins
 *       "issuers": [                 the nodes whose server-secret shares it adds
 *         { "identity": "bafy...", "url": "http://127.0.0.1:5556" },
 *         { "identity": "<this node's CID>" }          itself: no URL, no HTTP
 *       ],
 *       "windowSeconds": 60, "requirePermit": false
 *     }
 *   }
 *
 * Registration of an authentication server is the operator listing its
 * identity here: nothing a remote party sends can add itself to the list.
 * @module
 */
import { CID } from 'multiformats/cid';
import { AUTH_SERVER_DEFAULTS } from './auth-server.ts';
import { integer, object } from '../../../plugins/mpin/codec.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity } from '../../../plugins/mpin/id.ts';

export interface IssuerEndpoint {
  readonly identity: CID;
  /** Base URL of the issuing node's API; absent for this node itself. */
  readonly url?: string;
}

export interface AuthServerConfig {
  readonly issuers: readonly IssuerEndpoint[];
  readonly windowSeconds: number;
  readonly requirePermit: boolean;
}

export interface MpinConfig {
  readonly servers: ReadonlySet<string>;
  readonly revoked: ReadonlySet<string>;
  readonly authServer?: AuthServerConfig;
}

export const MAX_ISSUERS = 16;

function identity(field: string, s: unknown): CID {
  try {
    if (typeof s !== 'string') throw new Error();
    const cid = CID.parse(s);
    if (canonicalIdentity(cid) !== s) throw new Error();
    return cid;
  } catch {
    throw new MpinError('malformed', `${field}: expected an identity CID string`);
  }
}

function identities(field: string, x: unknown): ReadonlySet<string> {
  if (x === undefined) return new Set();
  if (!Array.isArray(x) || x.length > 10_000) throw new MpinError('malformed', `${field}: expected a list of identity CIDs`);
  return new Set(x.map((s, i) => identity(`${field}[${i}]`, s).toString()));
}

function url(field: string, s: unknown): string {
  let u: URL | undefined;
  try {
    if (typeof s === 'string') u = new URL(s);
  } catch {
    // refused below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username) {
    throw new MpinError('malformed', `${field}: expected an http(s) base URL`);
  }
  return u.href.replace(/\/+$/, '');
}

function issuer(field: string, x: unknown): IssuerEndpoint {
  const o = object(field, x, ['identity'], ['url']);
  const id = identity(`${field}.identity`, o.identity);
  return o.url === undefined ? { identity: id } : { identity: id, url: url(`${field}.url`, o.url) };
}

function authServer(x: unknown): AuthServerConfig {
  const o = object('authServer', x, ['issuers'], ['windowSeconds', 'requirePermit']);
  if (!Array.isArray(o.issuers) || o.issuers.length > MAX_ISSUERS) {
    throw new MpinError('malformed', `authServer.issuers: expected a list of at most ${MAX_ISSUERS} issuers`);
  }
  const issuers = o.issuers.map((e, i) => issuer(`authServer.issuers[${i}]`, e));
  if (new Set(issuers.map((e) => e.identity.toString())).size !== issuers.length) {
    throw new MpinError('malformed', 'authServer.issuers: an issuer is listed twice (its share would count twice)');
  }
  if (o.requirePermit !== undefined && typeof o.requirePermit !== 'boolean') throw new MpinError('malformed', 'authServer.requirePermit: expected a boolean');
  return {
    issuers,
    windowSeconds: o.windowSeconds === undefined ? AUTH_SERVER_DEFAULTS.windowSeconds : integer('authServer.windowSeconds', o.windowSeconds, 5, 3600),
    requirePermit: (o.requirePermit as boolean | undefined) ?? AUTH_SERVER_DEFAULTS.requirePermit,
  };
}

/** Checks the plugin's settings; undefined = issue client secrets and permits, register no server, verify no login. */
export function parseMpinConfig(x: unknown = {}): MpinConfig {
  const o = object('mpin', x, [], ['servers', 'revoked', 'authServer']);
  return {
    servers: identities('servers', o.servers),
    revoked: identities('revoked', o.revoked),
    ...(o.authServer === undefined ? {} : { authServer: authServer(o.authServer) }),
  };
}
