/**
 * The browser's own Helia node, from light parts only: no bootstrap list,
 * no delegated routing or gateways, no DHT, mDNS or UPnP; WebSockets as the
 * only transport, Noise and Yamux, identify, bitswap; a connection gater
 * that dials nothing but the WebSockets addresses of the nodes the person
 * added (gater.ts). Documents are fetched by CID with @helia/verified-fetch,
 * which hashes every block it returns against its CID.
 *
 * Everything heavy is imported when the node starts, so the app's first
 * screen does not wait for libp2p.
 * @module
 */
import type { Multiaddr } from '@multiformats/multiaddr';
import type { CID } from 'multiformats/cid';
import { type AllowList, allowListOf, connectionGater, dialableAddresses } from './gater.ts';

export interface BrowserIpfs {
  /** Dials every dialable address of one node; resolves with the addresses that connected. */
  connect(addresses: readonly string[], timeoutMs?: number): Promise<string[]>;
  /** The raw bytes of the block `cid`, fetched with verified-fetch from `providers` (multiaddrs). */
  fetchBlock(
    cid: CID,
    providers: readonly string[],
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Uint8Array>;
  /** Peer ids with an open connection. */
  peers(): string[];
  stop(): Promise<void>;
}

/** Starts the node. `allowed()` lists the libp2p addresses of the added nodes; it is read at every dial. */
export async function startBrowserIpfs(allowed: () => Iterable<string>): Promise<BrowserIpfs> {
  const [
    { createHeliaLight },
    { withLibp2pLight },
    { withBitswap },
    { webSockets },
    { noise },
    { yamux },
    { identify },
    dagCbor,
    { createVerifiedFetchWithHelia },
    { multiaddr },
  ] = await Promise.all([
    import('helia'),
    import('@helia/libp2p'),
    import('@helia/bitswap'),
    import('@libp2p/websockets'),
    import('@libp2p/noise'),
    import('@libp2p/yamux'),
    import('@libp2p/identify'),
    import('@ipld/dag-cbor'),
    import('@helia/verified-fetch'),
    import('@multiformats/multiaddr'),
  ]);
  let cache: { key: string; list: AllowList } = { key: '', list: allowListOf([]) };
  const allow = (): AllowList => {
    const addrs = [...allowed()];
    const key = addrs.join(' ');
    if (key !== cache.key) cache = { key, list: allowListOf(addrs) };
    return cache.list;
  };
  const helia = withBitswap(
    withLibp2pLight(createHeliaLight({ codecs: [dagCbor] }), {
      addresses: { listen: [] },
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
      connectionGater: connectionGater(allow),
    }),
  );
  await helia.start();
  const vf = await createVerifiedFetchWithHelia(helia);
  const toAddrs = (list: readonly string[]): Multiaddr[] => dialableAddresses(list).map((a) => multiaddr(a));
  return {
    async connect(addresses, timeoutMs = 5000) {
      const connected: string[] = [];
      await Promise.all(
        toAddrs(addresses).map(async (ma) => {
          try {
            await helia.libp2p.dial(ma, { signal: AbortSignal.timeout(timeoutMs) });
            connected.push(ma.toString());
          } catch {
            // unreachable (or refused by the gater): reported by absence
          }
        }),
      );
      return connected;
    },
    async fetchBlock(cid, providers, options = {}) {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 8000);
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      const res = await vf(`ipfs://${cid.toString()}`, {
        headers: { accept: 'application/vnd.ipld.raw' },
        providers: toAddrs(providers),
        session: false,
        signal,
      });
      if (!res.ok) throw new Error(`verified-fetch: HTTP ${res.status} for ${cid.toString()}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    peers: () => [...new Set(helia.libp2p.getConnections().map((c) => c.remotePeer.toString()))].sort(),
    async stop() {
      await vf.stop();
      await helia.stop();
    },
  };
}
