/**
 * The operator's settings of the M-Pin plugin (a JSON object; see
 * README.md in this folder):
 *
 *   {
 *     "servers": ["bafy..."],        authentication-server identities that may receive this node's s_i Q
 *     "revoked": ["bafy..."],        identities refused client secrets and permits
 *     "dkg": "bafy...",              t-of-n: s_i is this node's share of that DKG session ("mpin:master secret")
 *     "authServer": {                present: this node also verifies logins
 *       "issuers": [                 the nodes whose server-secret shares it adds
 *         { "identity": "bafy...", "url": "http://127.0.0.1:5556" },
 *         { "identity": "<this node's CID>" }          itself: no URL, no HTTP
 *       ],
 *       "windowSeconds": 60, "requirePermit": true   (the default: logins need today's time permit)
 *     }
 *   }
 *
 * Registration of an authentication server is the operator listing its
 * identity here: nothing a remote party sends can add itself to the list.
 * @module
 */
import { CID } from 'multiformats/cid';
import { accepted, boolean, type Check, converted, httpUrl, integer, list, struct } from '../../../core/schema.ts';
import { parseMpinInput } from '../../../plugins/mpin/codec.ts';
import { canonicalIdentity } from '../../../plugins/mpin/id.ts';
import { AUTH_SERVER_DEFAULTS } from './auth-server.ts';

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
  readonly dkg?: CID;
  readonly authServer?: AuthServerConfig;
}

const MAX_ISSUERS = 16;

/** A CID string in the canonical form identities are named by (id.ts). */
const identity: Check<CID> = accepted('an identity CID string', (s) => {
  if (typeof s !== 'string' || s.length > 128) return undefined;
  try {
    const cid = CID.parse(s);
    return canonicalIdentity(cid) === s ? cid : undefined;
  } catch {
    return undefined;
  }
});

/** A DKG session's CID (CIDv1, dag-cbor), in its canonical base32 spelling. */
const sessionCid: Check<CID> = accepted('a DKG session CID string', (s) => {
  if (typeof s !== 'string' || s.length > 128) return undefined;
  try {
    const cid = CID.parse(s);
    return cid.version === 1 && cid.toString() === s ? cid : undefined;
  } catch {
    return undefined;
  }
});

const identities = converted(list(identity, { max: 10_000 }), (ids) => new Set(ids.map(String)));

/** An issuing node's API: an http(s) base URL, kept without trailing slashes. */
const issuerUrl = converted(httpUrl({ base: true }), (s) => new URL(s).href.replace(/\/+$/, ''));

const issuer = struct({ identity }, { url: issuerUrl });

const AUTH_SERVER = struct(
  {
    issuers: list(issuer, {
      max: MAX_ISSUERS,
      unique: (e) => e.identity.toString(),
      duplicate: 'an issuer is listed twice (its share would count twice)',
    }),
  },
  { windowSeconds: integer(5, 3600), requirePermit: boolean },
);

const MPIN_CONFIG = struct({}, { servers: identities, revoked: identities, dkg: sessionCid, authServer: AUTH_SERVER });

/** Checks the plugin's settings; undefined = issue client secrets and permits, register no server, verify no login. */
export function parseMpinConfig(x: unknown = {}): MpinConfig {
  const o = parseMpinInput(MPIN_CONFIG, x, ''); // the node names the plugin before the path
  const auth = o.authServer;
  return {
    servers: o.servers ?? new Set(),
    revoked: o.revoked ?? new Set(),
    ...(o.dkg === undefined ? {} : { dkg: o.dkg }),
    ...(auth === undefined
      ? {}
      : {
          authServer: {
            issuers: auth.issuers,
            windowSeconds: auth.windowSeconds ?? AUTH_SERVER_DEFAULTS.windowSeconds,
            requirePermit: auth.requirePermit ?? AUTH_SERVER_DEFAULTS.requirePermit,
          },
        }),
  };
}
