// The OIDC nonce and redeem content (src/core/protocol/oidc-nonce.ts) against the formula of docs/protocol.md
// ("OpenID Connect beneficiaries"), computed here from the libraries directly: base64url-no-pad(SHA-256(domain ||
// DAG-CBOR({redeemer, binding}))). What it binds: the redeemer, every node and order, and their order in the list.
import * as dagCbor from '@ipld/dag-cbor';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url } from 'multiformats/bases/base64';
import type { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { cidOf, encode } from '../../src/core/protocol/cbor.ts';
import { oidcNonce, oidcProof, oidcRedeemContent } from '../../src/core/protocol/oidc-nonce.ts';

const cidNamed = (name: string): CID => cidOf(encode({ test: name }));
const redeemer = cidNamed('redeemer');
const binding = [
  { node: cidNamed('node 1'), order: cidNamed('order 1').toString() },
  { node: cidNamed('node 2'), order: cidNamed('order 2').toString() },
];

describe('the OIDC nonce', () => {
  it('is the documented hash of the redeemer and the binding', () => {
    const domain = new TextEncoder().encode('dta/oidc/v1 nonce\0');
    const cbor = dagCbor.encode({ redeemer, binding });
    const expected = base64url.baseEncode(sha256(new Uint8Array([...domain, ...cbor])));
    expect(oidcNonce(redeemer, binding)).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('changes with the redeemer, a node, an order, and the order of the entries', () => {
    const nonce = oidcNonce(redeemer, binding);
    const variants = [
      oidcNonce(cidNamed('another redeemer'), binding),
      oidcNonce(redeemer, [binding[0]!, { ...binding[1]!, node: cidNamed('node 3') }]),
      oidcNonce(redeemer, [binding[0]!, { ...binding[1]!, order: 'another order' }]),
      oidcNonce(redeemer, [binding[1]!, binding[0]!]),
      oidcNonce(redeemer, [binding[0]!]),
    ];
    expect(new Set([nonce, ...variants]).size).toBe(variants.length + 1);
  });

  it('makes redeem content whose proof has the shape the node checks', () => {
    const content = oidcRedeemContent('header.payload.signature', binding);
    const decoded = dagCbor.decode(dagCbor.encode(content)) as { oidc: unknown };
    expect(oidcProof(decoded.oidc, 'oidc')).toEqual({ idToken: 'header.payload.signature', binding });
    expect(() => oidcProof({ ...content.oidc, binding: [binding[0], binding[0]] }, 'oidc')).toThrow(/listed twice/);
    const seventeen = Array.from({ length: 17 }, (_, i) => ({ node: cidNamed(`n${i}`), order: `o${i}` }));
    expect(() => oidcProof({ ...content.oidc, binding: seventeen }, 'oidc')).toThrow(/1\.\.16 items/);
  });
});
