// Issue 13, throughput: a part an order request carries (a safeguard deposit) costs no pairing of its own when
// the request's sender signed it — its bytes are inside the content the request's signature covers — and is
// verified in full when it names anyone else. RequestAuth with the real core, signatures counted as they reach it.
import { beforeAll, describe, expect, it } from 'vitest';
import { keySigner } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { decodeEnvelope } from '../../src/core/protocol/envelope.ts';
import { resolverOf } from '../../src/core/protocol/resolver.ts';
import type { BlsSigner } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import { RequestAuth } from '../../src/node/http/auth.ts';
import type { ReplayRecords } from '../../src/node/storage/backend.ts';
import { clientIdentity, sharedCore } from './harness.ts';

type Party = Awaited<ReturnType<typeof clientIdentity>>;

let core: Core;
let node: Party, alice: Party, carol: Party;
let checked = 0; // signatures that reached the core

const noReplays: ReplayRecords = {
  claim: async () => 'new',
  has: () => false,
  close: async () => undefined,
};

function counting(bls: BlsSigner): BlsSigner {
  return {
    verify: (pk, msg, sig) => {
      checked++;
      return bls.verify(pk, msg, sig);
    },
    skToPk: (sk) => bls.skToPk(sk),
    sign: (sk, msg) => bls.sign(sk, msg),
    popProve: (sk) => bls.popProve(sk),
    popVerify: (pk, proof) => bls.popVerify(pk, proof),
  };
}

beforeAll(async () => {
  core = await sharedCore();
  [node, alice, carol] = await Promise.all([clientIdentity('node'), clientIdentity('alice'), clientIdentity('carol')]);
}, 60_000);

function auth(): RequestAuth {
  return new RequestAuth({
    core,
    node: node.identity,
    xwing: node.secrets.xwing,
    identities: resolverOf([node.identity, alice.identity, carol.identity]),
    replay: noReplays,
    freshnessMs: 60_000,
    verifier: counting(core.bls),
  });
}

/** An envelope by `by`, sealed to the node, carrying `content`. */
async function sealedBy(by: Party, type: string, content: unknown) {
  const env = await keySigner(core.bls, by).createEnvelope({
    type,
    recipients: [node.identity],
    content,
    sealed: true,
  });
  return env.bytes;
}

/** `bytes` with one bit of the signature (the last byte of the encoding) flipped. */
function flippedSignature(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[out.length - 1]! ^= 1;
  return out;
}

describe('parts of a request', () => {
  it("a part by the request's sender is opened without a pairing of its own", async () => {
    const a = auth();
    const deposit = await sealedBy(alice, 'safeguard/deposit', { secret: utf8('kept') });
    const request = await a.verifyRequest(await sealedBy(alice, 'safeguard/order', { deposit }));
    const before = checked;
    const part = await a.verifyPart(request, deposit);
    expect(checked).toBe(before); // the request's signature covers these bytes
    expect(part.sender.cid.equals(alice.identity.cid)).toBe(true);
    expect(part.cid.equals(decodeEnvelope(deposit).cid)).toBe(true);
    expect(a.open(part).content).toEqual({ secret: utf8('kept') });
  });

  it('a part by someone else is verified in full, and a forged one is refused', async () => {
    const a = auth();
    const request = await a.verifyRequest(await sealedBy(alice, 'safeguard/order', {}));
    const carols = await sealedBy(carol, 'safeguard/deposit', { secret: utf8('c') });
    const before = checked;
    const part = await a.verifyPart(request, carols, carol.identity.cid);
    expect(checked).toBe(before + 1);
    expect(part.sender.cid.equals(carol.identity.cid)).toBe(true);
    await expect(a.verifyPart(request, flippedSignature(carols))).rejects.toMatchObject({ code: 'bad_signature' });
    // Alice's own part named as someone else's (`from`) is not taken on the request's signature either.
    const alices = await sealedBy(alice, 'safeguard/deposit', { secret: utf8('a') });
    const counted = checked;
    await a.verifyPart(request, alices, carol.identity.cid);
    expect(checked).toBe(counted + 1);
  });

  it('a part not addressed to this node is refused before anything else', async () => {
    const a = auth();
    const request = await a.verifyRequest(await sealedBy(alice, 'safeguard/order', {}));
    const elsewhere = await keySigner(core.bls, alice).createEnvelope({
      type: 'safeguard/deposit',
      recipients: [carol.identity],
      content: { secret: utf8('x') },
      sealed: true,
    });
    await expect(a.verifyPart(request, elsewhere.bytes)).rejects.toMatchObject({ code: 'not_addressed' });
  });
});
