/**
 * A node the person added, as the app keeps it: the URL it was added by,
 * its identity (CID and signed document, verified when added and whenever
 * it is read back), the addresses and plugins from its discovery document,
 * and the last status seen. The fingerprint is what a person compares with
 * the node's operator: the first 64 bits of the identity document's
 * SHA-256 (the digest inside its CID), in four groups of four hex digits —
 * the same fingerprint the app shows for the person's own identity.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { Discovery, NodeStatus } from '../../core/api/replies.ts';
import { toHex } from '../../core/bytes.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';

export interface NodeRecord {
  readonly url: string; // normalized base URL: the key
  readonly identity: string; // identity CID
  readonly name: string;
  readonly fingerprint: string;
  readonly document: Uint8Array; // the signed identity document
  readonly libp2p: readonly string[];
  readonly http: readonly string[];
  readonly plugins: readonly string[];
  readonly added: number; // ms since the epoch
  readonly status?: StatusRecord;
  /** The identity document fetched by CID over IPFS (verified-fetch) and verified again. */
  readonly ipfs?: { readonly at: number; readonly verified: boolean };
}

/** The last /v1/status (or failure) seen for a node. */
export interface StatusRecord {
  readonly at: number;
  readonly reachable: boolean;
  readonly version?: string;
  readonly uptime?: number;
  readonly peers?: number;
  readonly identityMatches?: boolean;
  readonly error?: string;
}

/** "a1b2 c3d4 e5f6 0718": the first 8 bytes of the SHA-256 digest in an identity CID. */
export function fingerprint(identity: string | CID): string {
  const cid = typeof identity === 'string' ? CID.parse(identity) : identity;
  const hex = toHex(cid.multihash.digest.subarray(0, 8));
  return hex.match(/.{4}/g)!.join(' ');
}

/** The record of a node whose identity was verified from its discovery document. */
export function recordOf(
  url: string,
  discovery: Discovery,
  identity: Verified<IdentityDocument>,
  now = Date.now(),
): NodeRecord {
  return {
    url,
    identity: identity.cid.toString(),
    name: identity.value.name,
    fingerprint: fingerprint(identity.cid),
    document: identity.bytes,
    libp2p: [...discovery.libp2p],
    http: [...discovery.http],
    plugins: [...discovery.plugins],
    added: now,
  };
}

/** What a status reply says about a node we know. */
export function statusOf(node: NodeRecord, status: NodeStatus, now = Date.now()): StatusRecord {
  return {
    at: now,
    reachable: true,
    version: status.version,
    uptime: status.uptime,
    peers: status.peers.length,
    identityMatches: status.identity === node.identity,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The same address, or the same loopback server under another of its names (localhost for 127.0.0.1). */
function sameAddress(listed: string, url: string): boolean {
  const a = listed.replace(/\/+$/, '');
  if (a === url) return true;
  try {
    const x = new URL(a);
    const y = new URL(url);
    const loopback = LOOPBACK.has(x.hostname) && LOOPBACK.has(y.hostname);
    return loopback && x.protocol === y.protocol && x.port === y.port && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

/** True when the node's identity document lists `url` among its HTTP endpoints (or lists none). */
export function documentNamesUrl(identity: Verified<IdentityDocument>, url: string): boolean {
  const listed = identity.value.endpoints?.http;
  if (!listed || listed.length === 0) return true;
  return listed.some((u) => sameAddress(u, url));
}

export function hasPlugin(node: NodeRecord, plugin: string): boolean {
  return node.plugins.includes(plugin);
}
