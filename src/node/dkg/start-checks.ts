/**
 * What a node checks before it takes part in a DKG (POST /v1/dkg/sessions, docs/protocol.md "DKG carried
 * by nodes"), all before anything is drawn or stored: the start content's shape; the session document
 * (well formed, listing this node, 2 ≤ t ≤ n, n small enough for this node's body limit); its purpose
 * naming a plugin that runs here; the identity documents (each verifies, and they are exactly the
 * session's nodes; a document's CID is its hash, so this node's own is the one it knows).
 * @module
 */
import { DkgError } from '../../core/dkg/errors.ts';
import { type DkgSession, readSession } from '../../core/dkg/messages.ts';
import { cidOf } from '../../core/protocol/cbor.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { bytes, list, struct } from '../../core/schema.ts';
import { ApiError } from '../http/errors.ts';

/** Bytes of one sealed share in a round-1 envelope, with its recipient and CBOR framing (X-Wing enc, share, tag). */
const SEALED_SHARE_SIZE = 1120 + 48 + 64;
/** Bytes of a round-1 envelope beyond its shares: header, signature, proof of possession, framing. */
const ROUND1_OVERHEAD = 1024;
/** How many verified identity documents the node remembers between sessions. */
const KNOWN_IDENTITIES = 1024;
/** "<plugin>:<what>": the plugin whose DKG it is. */
const PURPOSE_RE = /^([a-z][a-z0-9-]{0,31}):./s;

const startSchema = struct({
  session: bytes({ min: 1, max: 64 * 1024 }),
  identities: list(bytes({ min: 1, max: 16 * 1024 }), { min: 2, max: 255 }),
});

export interface StartLimits {
  /** This node's identity. */
  readonly node: Verified<IdentityDocument>;
  /** The plugins that run here. */
  readonly plugins: readonly string[];
  /** The largest request body this node takes: a round's n envelopes, base64 in JSON, must fit. */
  readonly bodyLimit: number;
  /** Identity documents this node verified before. */
  readonly known: VerifiedIdentities;
}

export interface CheckedStart {
  readonly session: Verified<DkgSession>;
  readonly identities: Verified<IdentityDocument>[];
  /** The plugin the purpose names. */
  readonly plugin: string;
}

/** The plugin a purpose "<plugin>:<what>" names, if it is well formed. */
export function purposePlugin(purpose: string): string | undefined {
  return PURPOSE_RE.exec(purpose)?.[1];
}

/** Bytes of the largest round body for `n` nodes at threshold `t` (base64 in JSON). */
function roundBodyBytes(n: number, t: number): number {
  const envelope = ROUND1_OVERHEAD + t * 64 + (n - 1) * SEALED_SHARE_SIZE;
  return Math.ceil((n * envelope * 4) / 3) + n * 8 + 32;
}

function checkedSession(bytesOf: Uint8Array, limits: StartLimits): { session: Verified<DkgSession>; plugin: string } {
  let session: Verified<DkgSession>;
  try {
    session = readSession(bytesOf);
  } catch (e) {
    throw new ApiError('bad_session', e instanceof DkgError ? e.message : 'session: not a session document');
  }
  const { nodes, t, purpose } = session.value;
  if (!nodes.some((c) => c.equals(limits.node.cid))) {
    throw new ApiError('not_participant', `session.nodes: this node (${limits.node.cid.toString()}) is not listed`);
  }
  if (t < 2) throw new ApiError('bad_session', `session.t: ${t}; a DKG needs t ≥ 2 (t = 1 gives every node the key)`);
  const body = roundBodyBytes(nodes.length, t);
  if (body > limits.bodyLimit) {
    throw new ApiError(
      'bad_session',
      `session.nodes: ${nodes.length} nodes make round bodies of ~${Math.ceil(body / 1024)} KiB, ` +
        `over this node's bodyLimit of ${Math.floor(limits.bodyLimit / 1024)} KiB`,
    );
  }
  const plugin = purposePlugin(purpose);
  if (plugin === undefined) {
    throw new ApiError('bad_session', 'session.purpose: expected "<plugin>:<what>", e.g. "custody:secret"');
  }
  if (!limits.plugins.includes(plugin)) {
    throw new ApiError('bad_session', `session.purpose: no plugin "${plugin}" runs on this node`);
  }
  return { session, plugin };
}

/**
 * Identity documents verified before, by CID: a document's CID is the hash of its bytes, so the same CID is the
 * same verified document, and a committee that runs many DKGs is not verified again each time.
 */
export class VerifiedIdentities {
  readonly #known = new Map<string, Verified<IdentityDocument>>();

  async read(bls: BlsSigner, doc: Uint8Array): Promise<Verified<IdentityDocument>> {
    const key = cidOf(doc).toString();
    const known = this.#known.get(key);
    if (known) return known;
    const verified = await readIdentity(bls, doc);
    if (this.#known.size >= KNOWN_IDENTITIES) this.#known.clear();
    this.#known.set(key, verified);
    return verified;
  }
}

/** The identity documents, verified, one per session node and no other, in the session's node order. */
async function checkedIdentities(
  bls: BlsSigner,
  known: VerifiedIdentities,
  session: Verified<DkgSession>,
  docs: readonly Uint8Array[],
): Promise<Verified<IdentityDocument>[]> {
  const verified = await Promise.all(
    docs.map(async (doc, k) => {
      try {
        return await known.read(bls, doc);
      } catch {
        throw new ApiError('bad_session', `identities[${k}]: not a valid identity document`);
      }
    }),
  );
  const nodes = session.value.nodes;
  if (verified.length !== nodes.length) {
    throw new ApiError('bad_session', `identities: ${verified.length} documents for ${nodes.length} nodes`);
  }
  return nodes.map((cid, k) => {
    const found = verified.find((d) => d.cid.equals(cid));
    if (!found) throw new ApiError('bad_session', `identities: none for node ${k + 1} (${cid.toString()})`);
    return found;
  });
}

/** The start content `{ session, identities }` checked; ApiError `malformed`, `bad_session` or `not_participant`. */
export async function checkStart(bls: BlsSigner, content: unknown, limits: StartLimits): Promise<CheckedStart> {
  let parsed: { session: Uint8Array; identities: Uint8Array[] };
  try {
    parsed = startSchema(content, 'content');
  } catch (e) {
    throw new ApiError('malformed', e instanceof Error ? e.message : 'content: expected {session, identities}');
  }
  const { session, plugin } = checkedSession(parsed.session, limits);
  const identities = await checkedIdentities(bls, limits.known, session, parsed.identities);
  return { session, identities, plugin };
}
