/**
 * The nodes on the page: the list the registry keeps in IndexedDB, as a
 * signal, and the actions on it. Every change re-reads the list and hands
 * the nodes' libp2p addresses to the browser's Helia allow list.
 * @module
 */
import { type Accessor, createSignal } from 'solid-js';
import { setAllowedAddresses } from '../api/app-deps.ts';
import type { FlowsDeps } from '../api/deps.ts';
import type { NodeRecord, StatusRecord } from './model.ts';
import { type AddResult, addNode, checkStatus, listNodes, removeNode, verifyOverIpfs } from './registry.ts';

export interface NodesStore {
  readonly nodes: Accessor<readonly NodeRecord[]>;
  readonly loaded: Accessor<boolean>;
  refresh(): Promise<void>;
  add(url: string, options?: { replace?: boolean }): Promise<AddResult>;
  remove(url: string): Promise<void>;
  check(url: string): Promise<StatusRecord>;
  /** Fetches the node's identity by CID through the browser's Helia; stores and returns whether it verified. */
  verifyIpfs(url: string): Promise<boolean>;
}

export function createNodesStore(deps: FlowsDeps): NodesStore {
  const [nodes, setNodes] = createSignal<readonly NodeRecord[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const refresh = async () => {
    const list = await listNodes(deps);
    setAllowedAddresses(list.flatMap((n) => n.libp2p));
    setNodes(list);
    setLoaded(true);
  };
  const after = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      await refresh();
    }
  };
  return {
    nodes,
    loaded,
    refresh,
    add: (url, options) => after(() => addNode(deps, url, options)),
    remove: (url) => after(() => removeNode(deps, url)),
    check: (url) => after(() => checkStatus(deps, url)),
    verifyIpfs: (url) =>
      after(async () => {
        const node = nodes().find((n) => n.url === url);
        if (!node) return false;
        setAllowedAddresses(nodes().flatMap((n) => n.libp2p));
        const ipfs = await deps.ipfs?.();
        if (ipfs) await ipfs.connect(node.libp2p);
        const verified = await verifyOverIpfs(deps, node);
        const db = await deps.db();
        const latest = await db.get('nodes', url);
        if (latest) await db.put('nodes', { ...latest, ipfs: { at: Date.now(), verified } });
        return verified;
      }),
  };
}

const stores = new WeakMap<FlowsDeps, NodesStore>();

/** One nodes store per app (shared by the screens that choose a node). */
export function nodesStoreOf(deps: FlowsDeps): NodesStore {
  let s = stores.get(deps);
  if (!s) {
    s = createNodesStore(deps);
    stores.set(deps, s);
  }
  return s;
}
