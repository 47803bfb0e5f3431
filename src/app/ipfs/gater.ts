/**
 * Which libp2p addresses the browser's Helia may dial: WebSockets (ws or
 * wss) addresses of the nodes this app was told about, nothing else. The
 * browser's default gater refuses loopback and private addresses (a public
 * web page should not probe the LAN); ours allows exactly the nodes the
 * person added, loopback included, and refuses the public network, other
 * transports and any peer not in the list. Pure: no libp2p import, so it
 * is cheap to test.
 * @module
 */
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';

/** The parts of an address the policy looks at. */
export interface AddressParts {
  readonly host: string | undefined;
  readonly transport: 'ws' | 'wss' | 'other';
  readonly peer: string | undefined;
  /** The address without its /p2p/<peer> suffix, as text. */
  readonly base: string;
}

const HOSTS = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6']);

export function partsOf(ma: Multiaddr): AddressParts {
  const comps = ma.getComponents();
  let host: string | undefined;
  let peer: string | undefined;
  let transport: AddressParts['transport'] = 'other';
  const kept: string[] = [];
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i]!;
    if (HOSTS.has(c.name) && host === undefined) host = c.value;
    if (c.name === 'wss' || (c.name === 'ws' && comps[i - 1]?.name === 'tls')) transport = 'wss';
    else if (c.name === 'ws' && transport === 'other') transport = 'ws';
    if (c.name === 'p2p') peer = c.value;
    else kept.push(c.value === undefined ? `/${c.name}` : `/${c.name}/${c.value}`);
  }
  return { host, transport, peer, base: kept.join('') };
}

/** True for addresses on this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === 'localhost';
}

/** The browser-dialable addresses among a node's libp2p addresses (WebSockets with a peer id). */
export function dialableAddresses(addresses: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of addresses) {
    try {
      const p = partsOf(multiaddr(text));
      if (p.transport !== 'other' && p.peer !== undefined && p.host !== undefined) out.push(text);
    } catch {
      // not a multiaddr: a node advertising garbage gets no dial
    }
  }
  return out;
}

/** The allow list built from the nodes' advertised addresses. */
export interface AllowList {
  readonly bases: ReadonlySet<string>;
  readonly peers: ReadonlySet<string>;
}

export function allowListOf(addresses: Iterable<string>): AllowList {
  const bases = new Set<string>();
  const peers = new Set<string>();
  for (const text of dialableAddresses([...addresses])) {
    const p = partsOf(multiaddr(text));
    bases.add(p.base);
    peers.add(p.peer!);
  }
  return { bases, peers };
}

/** May the browser dial `ma`? Only WebSockets addresses listed by an added node. */
export function mayDial(ma: Multiaddr, allow: AllowList): boolean {
  const p = partsOf(ma);
  if (p.transport === 'other' || !allow.bases.has(p.base)) return false;
  return p.peer === undefined || allow.peers.has(p.peer);
}

/** A libp2p connection gater over a live allow list (re-read at every decision). */
export function connectionGater(allow: () => AllowList) {
  return {
    denyDialMultiaddr: (ma: Multiaddr): boolean => !mayDial(ma, allow()),
    denyDialPeer: (peer: { toString(): string }): boolean => !allow().peers.has(peer.toString()),
    // A browser never listens; refuse anything that would arrive anyway (relays and the like).
    denyInboundConnection: (): boolean => true,
    denyInboundEncryptedConnection: (): boolean => true,
    denyInboundUpgradedConnection: (): boolean => true,
  };
}
