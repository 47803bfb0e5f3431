/**
 * The node's Helia: built from its light parts only (no bootstrap list, no
 * delegated routing, no mDNS, UPnP or DHT), with the blockstore and
 * datastore on disk under the node's home, libp2p on TCP and WebSockets
 * (127.0.0.1 by default), and dialing only the configured peers. Identity
 * documents are pinned. Order envelopes are not: their durable copy is the
 * order store, which puts back at start any Helia lost, and the node never
 * runs Helia's garbage collection, so a pin per block (several datastore
 * files each) would buy nothing. On the node's own disk they are written
 * after the commit, off the reply's path (block-queue.ts, block-files.ts).
 *
 * The libp2p key lives in the node's keystore (encrypted at rest), not in
 * the datastore, so the peer id is stable across restarts and protected
 * like every other node secret.
 * @module
 */
import { withBitswap } from '@helia/bitswap';
import { type HeliaWithLibp2p, withLibp2pLight } from '@helia/libp2p';
import * as dagCbor from '@ipld/dag-cbor';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { type Identify, identify } from '@libp2p/identify';
import { noise } from '@libp2p/noise';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { yamux } from '@libp2p/yamux';
import { multiaddr } from '@multiformats/multiaddr';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight } from 'helia';
import type { Blockstore } from 'interface-blockstore';
import type { CID } from 'multiformats/cid';
import { concat } from '../../core/bytes.ts';
import type { Keystore } from '../keystore/types.ts';
import { writeBlockFiles } from './block-files.ts';
import { BlockQueue, type QueuedBlock } from './block-queue.ts';
import { closableDatastore } from './closable-datastore.ts';
import { QueuedBlockstore } from './queued-blockstore.ts';

/** Name of the libp2p private key (protobuf encoding) in the keystore. */
export const LIBP2P_KEY = 'node/libp2p';

export interface HeliaOptions {
  readonly blocks: string;
  readonly datastore: string;
  readonly listen: readonly string[];
  readonly peers: readonly string[];
  readonly keystore: Keystore;
  /** A blockstore to use instead of the one under `blocks` (PostgreSQL, shared by replicas); its owner closes it. */
  readonly blockstore?: Blockstore;
}

export interface NodeStore {
  readonly helia: HeliaWithLibp2p<{ identify: Identify }>;
  /** Stores a block locally (and pins it); `bytes` must hash to `cid`. */
  put(cid: CID, bytes: Uint8Array): Promise<void>;
  /**
   * Stores blocks whose durable copy is an order record just committed, unpinned: on the node's own disk
   * queued and written moments later (resolves at once unless the queue is full); in a shared blockstore
   * (PostgreSQL) written before it resolves, so that every replica serves them at once.
   */
  putCommitted(blocks: readonly QueuedBlock[]): Promise<void>;
  /** The block from the local store, or from connected peers within `timeoutMs`; undefined if not found. */
  get(cid: CID, options?: { timeoutMs?: number; offline?: boolean }): Promise<Uint8Array | undefined>;
  has(cid: CID): Promise<boolean>;
  /** Multiaddrs this node listens on, with /p2p/<peer id>. */
  addresses(): string[];
  /** Peer ids of open connections. */
  peers(): string[];
  /** Dials a peer multiaddr (used for configured peers and tests). */
  dial(addr: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The node's libp2p key from the keystore, created on first use. */
export async function libp2pKey(keystore: Keystore) {
  const stored = await keystore.get(LIBP2P_KEY);
  if (stored) return privateKeyFromProtobuf(stored);
  const key = await generateKeyPair('Ed25519');
  await keystore.put(LIBP2P_KEY, privateKeyToProtobuf(key));
  return key;
}

/** The node's libp2p peer id (creating its key if needed). */
export async function peerIdOf(keystore: Keystore): Promise<string> {
  return (await libp2pKey(keystore)).publicKey.toString(); // the base58btc multihash: the peer id
}

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return parts.length === 1 ? parts[0]! : concat(...parts);
}

async function writeAll(store: Blockstore, blocks: readonly QueuedBlock[]): Promise<void> {
  for await (const _ of store.putMany(blocks)) void _;
}

/** One line for a batch of order blocks Helia could not store: the next start puts them back (reconcile). */
function reportDropped(err: unknown, blocks: number): void {
  const why = err instanceof Error ? err.message : String(err);
  console.error(
    `dta: blocks_not_stored: ${blocks} order blocks not written to Helia (put back at the next start): ${why}`,
  );
}

/** Starts Helia with on-disk stores; dials the configured peers in the background. */
export async function startHelia(options: HeliaOptions): Promise<NodeStore> {
  const ownBlockstore = options.blockstore ? undefined : new FsBlockstore(options.blocks);
  // Order blocks bound for the node's own disk wait here, seen by Helia meanwhile (queued-blockstore.ts).
  const queue = new BlockQueue({ write: (blocks) => writeBlockFiles(options.blocks, blocks), onError: reportDropped });
  const blockstore = options.blockstore ?? new QueuedBlockstore(ownBlockstore!, queue);
  const datastore = new FsDatastore(options.datastore);
  await ownBlockstore?.open();
  await datastore.open();
  const gate = closableDatastore(datastore);
  const privateKey = await libp2pKey(options.keystore);
  const helia = withBitswap(
    withLibp2pLight(createHeliaLight({ blockstore, datastore: gate.store, codecs: [dagCbor] }), {
      privateKey,
      addresses: { listen: [...options.listen] },
      transports: [tcp(), webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
    }),
  );
  await helia.start();
  const store: NodeStore = {
    helia,
    async put(cid, bytes) {
      await helia.blockstore.put(cid, bytes);
      if (!(await helia.pins.isPinned(cid))) {
        for await (const _ of helia.pins.add(cid, { depth: 0 })) void _;
      }
    },
    putCommitted: (blocks) => (ownBlockstore ? queue.add(blocks) : writeAll(helia.blockstore, blocks)),
    async get(cid, opts = {}) {
      try {
        const signal = AbortSignal.timeout(opts.timeoutMs ?? 5000);
        if (opts.offline || helia.libp2p.getConnections().length === 0) {
          if (!(await helia.blockstore.has(cid))) return undefined;
          return await collect(helia.blockstore.get(cid, { offline: true, signal }));
        }
        return await collect(helia.blockstore.get(cid, { signal }));
      } catch (err) {
        const name = (err as Error).name;
        if (['AbortError', 'TimeoutError', 'NotFoundError', 'LoadBlockFailedError'].includes(name)) return undefined;
        throw err;
      }
    },
    async has(cid) {
      return helia.blockstore.has(cid);
    },
    addresses: () => helia.libp2p.getMultiaddrs().map((a) => a.toString()),
    peers: () => [...new Set(helia.libp2p.getConnections().map((c) => c.remotePeer.toString()))].sort(),
    async dial(addr, timeoutMs = 5000) {
      await helia.libp2p.dial(multiaddr(addr), { signal: AbortSignal.timeout(timeoutMs) });
    },
    async stop() {
      await queue.drain();
      await helia.stop();
      gate.close(); // libp2p still has a debounced write of its own peer record pending (closable-datastore.ts)
      await datastore.close();
      await ownBlockstore?.close();
    },
  };
  for (const peer of options.peers) {
    store.dial(peer).catch(() => undefined); // a peer that is down now is retried by the caller later
  }
  return store;
}
