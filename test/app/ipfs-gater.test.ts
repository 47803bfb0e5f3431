/**
 * The browser Helia's dial policy (src/app/ipfs/gater.ts) and the document
 * fetcher (documents.ts): WebSockets addresses of added nodes only, loopback
 * included, nothing else; documents from the first source whose bytes hash
 * to the CID, and where they came from.
 */
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { DocumentUnavailableError, fetchDocument, fromMap, recordingSource } from '../../src/app/ipfs/documents.ts';
import {
  allowListOf,
  connectionGater,
  dialableAddresses,
  isLoopback,
  mayDial,
  partsOf,
} from '../../src/app/ipfs/gater.ts';
import type { BrowserIpfs } from '../../src/app/ipfs/helia.ts';
import { cidOf, encode } from '../../src/core/protocol/cbor.ts';

const PEER = '12D3KooWLpbiX7ydyNzHtUG66yuqzaTGJDmVnWchdKnJWwoKHvEe';
const OTHER = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';
const WS = `/ip4/127.0.0.1/tcp/5558/ws/p2p/${PEER}`;
const TCP = `/ip4/127.0.0.1/tcp/5557/p2p/${PEER}`;
const WSS = `/dns4/dta.example.org/tcp/443/tls/ws/p2p/${OTHER}`;

describe('gater', () => {
  it('reads host, transport and peer of an address', () => {
    expect(partsOf(multiaddr(WS))).toEqual({
      host: '127.0.0.1',
      transport: 'ws',
      peer: PEER,
      base: '/ip4/127.0.0.1/tcp/5558/ws',
    });
    expect(partsOf(multiaddr(WSS))).toMatchObject({ host: 'dta.example.org', transport: 'wss', peer: OTHER });
    expect(partsOf(multiaddr(TCP)).transport).toBe('other');
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost')).toBe(true);
    expect(isLoopback('10.0.0.1') || isLoopback(undefined)).toBe(false);
  });

  it('keeps only the WebSockets addresses with a peer id from what a node advertises', () => {
    expect(dialableAddresses([WS, TCP, WSS, '/ip4/127.0.0.1/tcp/5558/ws', 'not a multiaddr'])).toEqual([WS, WSS]);
  });

  it("dials the added nodes' WebSockets addresses (loopback too) and nothing else", () => {
    const allow = allowListOf([WS, TCP]);
    expect(mayDial(multiaddr(WS), allow)).toBe(true);
    expect(mayDial(multiaddr('/ip4/127.0.0.1/tcp/5558/ws'), allow)).toBe(true); // the same address before the peer id is added
    expect(mayDial(multiaddr(TCP), allow)).toBe(false); // not a browser transport
    expect(mayDial(multiaddr(`/ip4/127.0.0.1/tcp/5558/ws/p2p/${OTHER}`), allow)).toBe(false); // another peer there
    expect(mayDial(multiaddr(`/ip4/127.0.0.1/tcp/9999/ws/p2p/${PEER}`), allow)).toBe(false); // another port
    expect(mayDial(multiaddr(`/ip4/1.2.3.4/tcp/4001/ws/p2p/${PEER}`), allow)).toBe(false); // the public network
    const gater = connectionGater(() => allow);
    expect(gater.denyDialMultiaddr(multiaddr(WS))).toBe(false);
    expect(gater.denyDialMultiaddr(multiaddr('/dns4/bootstrap.libp2p.io/tcp/443/wss'))).toBe(true);
    expect(gater.denyDialPeer({ toString: () => PEER })).toBe(false);
    expect(gater.denyDialPeer({ toString: () => OTHER })).toBe(true);
    expect(gater.denyInboundConnection()).toBe(true);
  });

  it('an empty allow list dials nothing', () => {
    expect(mayDial(multiaddr(WS), allowListOf([]))).toBe(false);
  });
});

describe('documents by CID', () => {
  const bytes = encode({ hello: 'world' });
  const cid = cidOf(bytes);
  const ipfsWith =
    (get: (cid: unknown) => Promise<Uint8Array>, peers = 1): (() => Promise<BrowserIpfs>) =>
    async () => ({
      connect: async () => [],
      fetchBlock: get,
      peers: () => Array.from({ length: peers }, () => PEER),
      stop: async () => undefined,
    });

  it('prefers IPFS, says so, and checks the bytes', async () => {
    const doc = await fetchDocument(
      {
        ipfs: ipfsWith(async () => bytes),
        providers: () => [WS],
        fallbacks: [{ via: 'http', get: fromMap(new Map()) }],
      },
      cid,
    );
    expect(doc).toEqual({ bytes, via: 'ipfs' });
  });

  it('falls back when IPFS fails or has no provider, or when a source lies about the bytes', async () => {
    const http = { via: 'http' as const, get: fromMap(new Map([[cid.toString(), bytes]])) };
    expect(
      (
        await fetchDocument(
          {
            ipfs: ipfsWith(async () => {
              throw new Error('504');
            }),
            providers: () => [WS],
            fallbacks: [http],
          },
          cid,
        )
      ).via,
    ).toBe('http');
    expect(
      (await fetchDocument({ ipfs: ipfsWith(async () => bytes), providers: () => [], fallbacks: [http] }, cid)).via,
    ).toBe('http');
    const unreachable = ipfsWith(async () => {
      throw new Error('must not be asked');
    }, 0);
    expect((await fetchDocument({ ipfs: unreachable, providers: () => [WS], fallbacks: [http] }, cid)).via).toBe(
      'http',
    );
    expect(
      (await fetchDocument({ ipfs: ipfsWith(async () => bytes), providers: () => [TCP], fallbacks: [http] }, cid)).via,
    ).toBe('http');
    const liar = { via: 'stored' as const, get: async () => encode({ hello: 'mars' }) };
    expect((await fetchDocument({ fallbacks: [liar, http] }, cid)).via).toBe('http');
    await expect(fetchDocument({ fallbacks: [liar] }, cid)).rejects.toBeInstanceOf(DocumentUnavailableError);
    await expect(fetchDocument({}, cid)).rejects.toMatchObject({ name: 'DocumentUnavailableError' });
  });

  it('a recording block source remembers where each CID came from', async () => {
    const source = recordingSource({
      fallbacks: [{ via: 'stored', get: fromMap(new Map([[cid.toString(), bytes]])) }],
    });
    expect(await source.get(cid)).toEqual(bytes);
    expect(source.seen.get(cid.toString())).toBe('stored');
  });
});
