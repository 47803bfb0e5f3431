/**
 * The nodes the person added: add one by URL (its discovery document, its
 * identity document verified — schema, proof of possession, self-signature,
 * CID — and our identity registered with it), remove it, check its status,
 * and open a session with it (re-verifying the stored identity and
 * refusing a node that changed identity). Plain async functions over the
 * injected components; store.ts makes them reactive.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { NodeApi } from '../../core/api/node-api.ts';
import type { Discovery } from '../../core/api/replies.ts';
import { identityOf, NodeSession, nodeIdentity } from '../../core/api/session.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { IdentityChangedError, InputError, NodeApiError, NotReadyError } from '../api/errors.ts';
import { nodeApiAt, normalizeNodeUrl } from '../api/node-api.ts';
import { fetchDocument } from '../ipfs/documents.ts';
import { describeError } from '../ui/errors.ts';
import { documentNamesUrl, type NodeRecord, recordOf, type StatusRecord, statusOf } from './model.ts';

export interface AddResult {
  readonly node: NodeRecord;
  /** Things the person should know but that do not stop the node from being added. */
  readonly warnings: readonly string[];
}

export async function listNodes(deps: FlowsDeps): Promise<NodeRecord[]> {
  const all = await (await deps.db()).getAll('nodes');
  return all.sort((a, b) => a.added - b.added);
}

export async function getNode(deps: FlowsDeps, url: string): Promise<NodeRecord | undefined> {
  return (await deps.db()).get('nodes', normalizeNodeUrl(url));
}

/** Makes our identity known to the node; a warning text when it failed (the node is added anyway). */
async function registerWith(deps: FlowsDeps, api: NodeApi): Promise<string | undefined> {
  try {
    const me = await requireSigner(deps);
    await api.registerIdentity(me.identity.bytes);
    return undefined;
  } catch (e) {
    if (e instanceof NotReadyError) return 'your identity is locked: it will be registered with this node on first use';
    return `could not register your identity with this node: ${describeError(e).message}`;
  }
}

/**
 * The discovery document at `url`. A URL with a path (a page of the node copied from the address bar) finds no
 * discovery document there: the person is told to use the node's address alone, not "no such route".
 */
async function discoveryAt(api: NodeApi, url: string): Promise<Discovery> {
  try {
    return await api.discovery();
  } catch (e) {
    const { origin, pathname } = new URL(url);
    if (e instanceof NodeApiError && e.status === 404 && pathname !== '/') {
      throw new InputError('url', `no node answers at this path: use the node's address without a path (${origin})`);
    }
    throw e;
  }
}

/**
 * Adds the node at `input`: fetches /.well-known/dta, verifies the identity document it carries against its
 * CID, records it. Adding a URL again refreshes its addresses; a node that now presents another identity is
 * refused with IdentityChangedError unless `replace` (the person confirmed the new fingerprint).
 */
export async function addNode(deps: FlowsDeps, input: string, options: { replace?: boolean } = {}): Promise<AddResult> {
  const url = normalizeNodeUrl(input);
  const api = nodeApiAt(url, deps.fetch);
  const { bls } = await deps.crypto();
  const discovery = await discoveryAt(api, url);
  const identity = await identityOf(discovery, bls);
  const db = await deps.db();
  const known = await db.get('nodes', url);
  if (known && known.identity !== identity.cid.toString() && !options.replace) {
    throw new IdentityChangedError(known.identity, identity.cid.toString());
  }
  const warnings: string[] = [];
  if (!documentNamesUrl(identity, url)) {
    const listed = identity.value.endpoints?.http?.join(', ') ?? '';
    warnings.push(
      `this node says its address is ${listed}, not ${url}: it may be reached through another name or a proxy; ` +
        "if you did not expect that, compare its fingerprint with the operator's before you use it",
    );
  }
  const node = {
    ...recordOf(url, discovery, identity, nowOf(deps)),
    ...(known && known.identity === identity.cid.toString() ? { added: known.added } : {}),
  };
  await db.put('nodes', node);
  const registered = await registerWith(deps, api);
  if (registered) warnings.push(registered);
  return { node, warnings };
}

export async function removeNode(deps: FlowsDeps, url: string): Promise<void> {
  await (await deps.db()).delete('nodes', normalizeNodeUrl(url));
}

/** GET /v1/status of a known node; the result (reachable or not) is stored with it. */
export async function checkStatus(deps: FlowsDeps, url: string, timeoutMs = 8000): Promise<StatusRecord> {
  const db = await deps.db();
  const node = await db.get('nodes', normalizeNodeUrl(url));
  if (!node) throw new NotReadyError(`no node ${url} in this app`);
  let status: StatusRecord;
  try {
    status = statusOf(node, await nodeApiAt(node.url, deps.fetch).status({ timeoutMs }), nowOf(deps));
  } catch (e) {
    status = { at: nowOf(deps), reachable: false, error: describeError(e).message };
  }
  const latest = await db.get('nodes', node.url);
  if (latest) await db.put('nodes', { ...latest, status });
  return status;
}

/** A stored node's identity document, verified again (it is read back from storage). */
export async function storedIdentity(deps: FlowsDeps, node: NodeRecord): Promise<Verified<IdentityDocument>> {
  return readIdentity((await deps.crypto()).bls, node.document, CID.parse(node.identity));
}

/** A session with a known node: its stored identity (checked against what it presents now), our signer. */
export async function sessionFor(deps: FlowsDeps, url: string): Promise<NodeSession> {
  const node = await getNode(deps, url);
  if (!node) throw new NotReadyError(`the node ${url} is not in this app: add it under Nodes first`);
  const me = await requireSigner(deps);
  const api = nodeApiAt(node.url, deps.fetch);
  const { bls } = await deps.crypto();
  const identity = await nodeIdentity(api, bls, node.identity);
  // The person's identity is registered on first use (it may have been locked when the node was added); a
  // lost reply is sent again twice before the order is left pending for a later retry.
  return new NodeSession(api, identity, bls, me, { retries: 2, registerFirst: true });
}

/** Fetches the node's identity document by CID over IPFS (verified-fetch); true when it came that way and checks. */
export async function verifyOverIpfs(deps: FlowsDeps, node: NodeRecord): Promise<boolean> {
  if (!deps.ipfs) return false;
  try {
    const doc = await fetchDocument({ ipfs: deps.ipfs, providers: () => node.libp2p }, CID.parse(node.identity));
    await readIdentity((await deps.crypto()).bls, doc.bytes, CID.parse(node.identity));
    return doc.via === 'ipfs';
  } catch {
    return false;
  }
}
