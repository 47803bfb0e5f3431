// The node record's pure parts: the fingerprint people compare, the status summary, the endpoint check.

import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { documentNamesUrl, fingerprint, hasPlugin, type NodeRecord, statusOf } from '../../src/app/nodes/model.ts';

const cidOf = async (text: string) => CID.createV1(0x71, await sha256.digest(new TextEncoder().encode(text)));

describe('node model', () => {
  it('fingerprints an identity by the first 8 bytes of its digest, in groups of four hex digits', async () => {
    const cid = await cidOf('node');
    const hex = Array.from(cid.multihash.digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(fingerprint(cid)).toBe(hex.match(/.{4}/g)!.join(' '));
    expect(fingerprint(cid.toString())).toBe(fingerprint(cid));
    expect(fingerprint(cid)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(fingerprint(await cidOf('other'))).not.toBe(fingerprint(cid));
  });

  it('summarises a status reply and notices another identity', () => {
    const node = { identity: 'bafyA', plugins: ['safeguard'] } as unknown as NodeRecord;
    const status = {
      identity: 'bafyA',
      name: 'n',
      version: '1',
      plugins: [],
      peers: ['p1', 'p2'],
      libp2p: [],
      http: [],
      uptime: 5,
    };
    expect(statusOf(node, status, 7)).toEqual({
      at: 7,
      reachable: true,
      version: '1',
      uptime: 5,
      peers: 2,
      identityMatches: true,
    });
    expect(statusOf(node, { ...status, identity: 'bafyB' }, 7).identityMatches).toBe(false);
    expect(hasPlugin(node, 'safeguard')).toBe(true);
    expect(hasPlugin(node, 'mpin')).toBe(false);
  });

  it("accepts a URL listed among the document's endpoints (trailing slashes aside), or any when none is listed", () => {
    const doc = (http?: string[]) => ({ value: { endpoints: http ? { http } : undefined } }) as never;
    expect(documentNamesUrl(doc(['http://127.0.0.1:5556/']), 'http://127.0.0.1:5556')).toBe(true);
    // Issue 14, item 6: localhost, 127.0.0.1 and [::1] name the same loopback server (same scheme, port and path).
    expect(documentNamesUrl(doc(['http://127.0.0.1:5556']), 'http://localhost:5556')).toBe(true);
    expect(documentNamesUrl(doc(['http://127.0.0.1:5556']), 'http://[::1]:5556')).toBe(true);
    expect(documentNamesUrl(doc(['http://127.0.0.1:5556']), 'http://localhost:5557')).toBe(false);
    expect(documentNamesUrl(doc(['http://127.0.0.1:5556']), 'https://localhost:5556')).toBe(false);
    expect(documentNamesUrl(doc(['https://dta.example.org']), 'https://other.example.org')).toBe(false);
    expect(documentNamesUrl(doc([]), 'http://x')).toBe(true);
    expect(documentNamesUrl(doc(), 'http://x')).toBe(true);
  });
});
