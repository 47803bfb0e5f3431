/**
 * Signed-envelope requests. Every state-changing request carries one
 * envelope (DAG-CBOR) as its body, `application/cbor`, or as JSON
 * `{"envelope": "<base64>"}`. Checks, in order, each a 4xx on failure and
 * none of them changing any state:
 *   1. the bytes decode as a canonical envelope (malformed);
 *   2. this node is among the recipients (not_addressed);
 *   then, for a request (verifyRequest) the node did not accept before (a read-only lookup: replay cache,
 *   committed steps, recorded requests), step 6 below, all before any pairing (issue 13, F1);
 *   3. the sender identity is known or resolvable (unknown_identity; an unknown one within a node-wide budget,
 *      rate_limited: limits/limited-resolver.ts);
 *   4. its BLS signature verifies (bad_signature; counted per client address at the HTTP edge,
 *      http/signature-budget.ts);
 *   5. the route's own checks (type, order, link: bad_request, unknown_plugin);
 *   6. it is a version 2 envelope (bad_request: version 1 has no key
 *      commitment) created within the freshness window (stale);
 *   7. its CID was not used before for another purpose (replay), recorded
 *      durably before anything is acted upon (storage/replay.ts);
 * then the body is opened if it is sealed to this node.
 * The checks per route, for clients: docs/protocol.md#http-requests.
 * @module
 */
import type { CID } from 'multiformats/cid';
import {
  decodeEnvelope,
  ENVELOPE_VERSION,
  isSealed,
  openEnvelope,
  type VerifiedEnvelope,
  verifyEnvelope,
} from '../../core/protocol/index.ts';
import type {
  BlsSigner,
  Envelope,
  EnvelopeHeader,
  IdentityDocument,
  IdentityResolver,
  Verified,
} from '../../core/protocol/types.ts';
import type { Core } from '../../core/types.ts';
import type { RequestOpener } from '../crypto-pool/pool-opener.ts';
import type { OpenedRequest } from '../plugins/types.ts';
import type { ReplayRecords } from '../storage/backend.ts';
import type { Claim } from '../storage/replay.ts';
import { bytesOfBase64 } from './base64.ts';
import { ApiError } from './errors.ts';

/** The document bytes of a request body: raw (application/cbor) or JSON `{ [field]: base64 }` and nothing else. */
export function bodyBytes(body: unknown, field: string): Uint8Array {
  if (body instanceof Uint8Array) {
    if (body.length === 0) throw new ApiError('malformed', 'empty body');
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('malformed', `expected application/cbor or a JSON object {"${field}": "<base64>"}`);
  }
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== field) throw new ApiError('malformed', `expected exactly one field "${field}"`);
  return bytesOfBase64((body as Record<string, unknown>)[field], field);
}

/** The API error for an error of the protocol library (by name, so it also works across realms). */
export function protocolToApi(err: unknown): unknown {
  const name = (err as Error)?.name;
  const message = (err as Error)?.message ?? '';
  switch (name) {
    case 'DecodeError':
    case 'SchemaError':
    case 'OversizeError':
    case 'CidMismatchError':
    case 'InvalidKeyError':
      return new ApiError('malformed', message);
    case 'SignatureError':
      return new ApiError('bad_signature', message);
    case 'UnknownIdentityError':
      return new ApiError('unknown_identity', message);
    case 'NotRecipientError':
      return new ApiError('not_addressed', message);
    case 'DecryptionError':
      return new ApiError('bad_request', 'the sealed body does not open for this node');
    case 'KeyCommitmentError':
      return new ApiError('bad_request', 'the content key sealed to this node is not the one the sender committed to');
    case 'ChainError':
      return new ApiError('bad_request', message);
    case 'ReplayError':
      return new ApiError('replay', message);
    default:
      return err;
  }
}

async function mapped<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw protocolToApi(err);
  }
}

export interface AuthOptions {
  readonly core: Core;
  /** This node's identity and its X-Wing seed (to open sealed requests). */
  readonly node: Verified<IdentityDocument>;
  readonly xwing: Uint8Array;
  readonly identities: IdentityResolver;
  readonly replay: ReplayRecords;
  readonly freshnessMs: number;
  readonly now?: () => number;
  /** Checks request signatures (the crypto pool's batches: crypto-pool/batch-verifier.ts); absent: core.bls. */
  readonly verifier?: BlsSigner;
  /** Opens sealed requests in the crypto pool once verified (crypto-pool/pool-opener.ts); absent: in `open`. */
  readonly opener?: RequestOpener;
  /**
   * Whether the node accepted these very request bytes before, beyond the replay cache: committed as an order
   * step, or recorded before its plugin ran (limits/known-requests.ts). Asked only of a request that would be
   * refused as stale or of an old version, so that its retry still finds its reply; absent: the cache only.
   */
  readonly acceptedBefore?: (cid: string, order: string) => Promise<boolean>;
}

export class RequestAuth {
  readonly #o: AuthOptions;
  readonly #now: () => number;

  constructor(options: AuthOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Steps 1-4 for an envelope a request carries: decode, check this node is a recipient, then the signature. */
  async verify(bytes: Uint8Array): Promise<VerifiedEnvelope> {
    const env = await mapped(() => decodeEnvelope(bytes));
    this.#assertAddressed(env.value.header);
    return this.#verifySignature(env);
  }

  /**
   * Steps 1-4 for a part that `request` (verified) carries in its content, e.g. a safeguard deposit. A part signed by
   * the request's own sender needs no pairing of its own: its bytes are in the content the request's signature
   * covers (for a sealed request, the ciphertext and the key commitment that fix what this node opens), so only
   * that sender can have put them there, and checking the part's signature again would tell this node nothing more
   * (docs/protocol.md, "Where a node checks signatures"). A part by anyone else (`from`, or a forgery naming
   * another sender) is verified in full. Either way a part sealed to this node is opened in the pool when it has one.
   */
  async verifyPart(request: VerifiedEnvelope, bytes: Uint8Array, from?: CID): Promise<VerifiedEnvelope> {
    const part = await mapped(() => decodeEnvelope(bytes));
    this.#assertAddressed(part.value.header);
    const by = request.value.header.sender;
    if (!part.value.header.sender.equals(by) || (from !== undefined && !from.equals(by))) {
      return this.#verifySignature(part);
    }
    const covered: VerifiedEnvelope = { ...part, sender: request.sender };
    return this.#o.opener ? this.#o.opener.prefetch(covered) : covered;
  }

  /**
   * Steps 1-4 and 6 for a request, the cheap checks before the signature so that a forged request costs no
   * pairing: canonical decoding and schema (size: the body limit), this node a recipient, then the replay cache
   * (read only). Bytes the node accepted before are a retry: their signature was verified then, so it is not
   * again, and their version and age are left to the route (a committed step answers 409 replay whatever the
   * clock says). Otherwise the version and freshness, then the sender (an unknown one is resolved only within
   * its limit: limits/limited-resolver.ts) and its signature.
   */
  async verifyRequest(bytes: Uint8Array): Promise<VerifiedEnvelope> {
    const env = await mapped(() => decodeEnvelope(bytes));
    const { header } = env.value;
    this.#assertAddressed(header);
    if (await this.#acceptedBefore(env.cid.toString(), header)) {
      return { ...env, sender: await mapped(() => this.#o.identities.resolve(header.sender)) };
    }
    this.assertCurrentVersion(header);
    this.assertFresh(header);
    return this.#verifySignature(env);
  }

  /** The replay cache first (memory); the slower lookups only for a request that would otherwise be refused. */
  async #acceptedBefore(cid: string, header: EnvelopeHeader): Promise<boolean> {
    if (await this.#o.replay.has(cid)) return true;
    if (header.version >= ENVELOPE_VERSION && this.#isFresh(header)) return false;
    return (await this.#o.acceptedBefore?.(cid, header.order)) ?? false;
  }

  #assertAddressed(header: EnvelopeHeader): void {
    if (!header.recipients.some((r) => r.equals(this.#o.node.cid))) {
      throw new ApiError('not_addressed', 'this node is not among the request recipients');
    }
  }

  /** Step 3: the sender's BLS signature (the pairing every check above spares a forged request). */
  #verifySignature(env: Verified<Envelope>): Promise<VerifiedEnvelope> {
    // The opener's verifier, when it has one, opens a sealed request in its signature's round (pool-opener.ts).
    const bls = this.#o.opener?.verifierFor?.(env) ?? this.#o.verifier ?? this.#o.core.bls;
    const verified = mapped(() => verifyEnvelope(bls, env, this.#o.identities));
    return this.#o.opener ? verified.then((v) => this.#o.opener!.prefetch(v)) : verified;
  }

  #isFresh(header: EnvelopeHeader): boolean {
    return Math.abs(header.created - this.#now()) <= this.#o.freshnessMs;
  }

  /**
   * A request is a new envelope, so version 2: version 1 has no key commitment (docs/protocol.md#versions).
   * Checked after the replay lookup, so a version 1 request committed before the upgrade still finds its reply.
   */
  assertCurrentVersion(header: EnvelopeHeader): void {
    if (header.version < ENVELOPE_VERSION) {
      throw new ApiError(
        'bad_request',
        `envelope version ${header.version} has no key commitment; send version ` + `${ENVELOPE_VERSION}`,
      );
    }
  }

  /** Step 6. */
  assertFresh(header: EnvelopeHeader): void {
    const skew = header.created - this.#now();
    if (Math.abs(skew) > this.#o.freshnessMs) {
      throw new ApiError(
        'stale',
        `the request was created ${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'ago' : 'ahead'}; the window is ±${this.#o.freshnessMs / 1000} s`,
      );
    }
  }

  /** Step 7: 'seen' when the same envelope was already accepted for this scope. */
  claim(env: VerifiedEnvelope, scope: string): Promise<Claim> {
    return mapped(() => this.#o.replay.claim(env.cid.toString(), env.value.header.created, scope));
  }

  /** The content: plain, or opened with this node's key slot. */
  open(env: VerifiedEnvelope): OpenedRequest {
    const content = openEnvelopeMapped(env, this.#o.node.cid, this.#o.xwing, this.#o.opener);
    return { cid: env.cid, header: env.value.header, sender: env.sender, content, sealed: isSealed(env.value.body) };
  }

  /**
   * Everything for a request that is not an order step (plugin routes):
   * steps 1-7 with `type` as the only accepted envelope type; a request
   * seen before is refused (409 replay).
   */
  async request(body: unknown, type: string, scope: string): Promise<OpenedRequest> {
    const env = await this.verifyRequest(bodyBytes(body, 'envelope'));
    if (env.value.header.type !== type) throw new ApiError('bad_request', `expected an envelope of type "${type}"`);
    this.assertCurrentVersion(env.value.header);
    this.assertFresh(env.value.header);
    if ((await this.claim(env, scope)) === 'seen') throw new ApiError('replay', 'this request was already accepted');
    return this.open(env);
  }
}

function openEnvelopeMapped(env: VerifiedEnvelope, cid: CID, xwing: Uint8Array, opener?: RequestOpener): unknown {
  try {
    const ahead = opener?.opened(env); // opened in the crypto pool once verified
    return ahead ? ahead.content : openEnvelope(env, { cid, xwing }, { requireCommitment: true });
  } catch (err) {
    throw protocolToApi(err);
  }
}
