// Opening a decoded sealed envelope takes its header's bytes from the signed bytes (copied at decoding), which
// are exactly DAG-CBOR(header): a caller that reuses its buffer after decoding still opens the envelope; content
// that the one-pass decoder leaves to @ipld/dag-cbor (a float, non-ASCII text) opens as well.
import { beforeAll, describe, expect, it } from 'vitest';
import { mapValueBytes } from '../../src/core/protocol/cbor-canonical.ts';
import {
  createEnvelope,
  decodeEnvelope,
  encode,
  openEnvelope,
  recipientOf,
  resolverOf,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { getCore, makeParty, type Party } from './helpers.ts';

let core: Core;
let alice: Party, bob: Party;

beforeAll(async () => {
  core = await getCore();
  [alice, bob] = await Promise.all([makeParty(core, 'alice'), makeParty(core, 'bob')]);
});

async function sealedBytes(content: unknown): Promise<Uint8Array> {
  const env = await createEnvelope(core.bls, alice.secrets.bls, {
    type: 'test/header-bytes',
    sender: alice.cid,
    recipients: [recipientOf(bob.identity)],
    sealed: true,
    content,
  });
  return env.bytes;
}

describe('the header bytes of an opened envelope', () => {
  it('are the DAG-CBOR of the decoded header, cut from the envelope bytes', async () => {
    const bytes = await sealedBytes({ note: 'x' });
    const header = decodeEnvelope(bytes).value.header;
    expect(Buffer.from(mapValueBytes(bytes, 'header')!)).toEqual(Buffer.from(encode(header)));
  });

  it('survive the caller reusing its buffer after verifying', async () => {
    const buffer = Buffer.from(await sealedBytes({ note: 'reused buffer' }));
    const verified = await verifyEnvelope(core.bls, buffer, resolverOf([alice.identity, bob.identity]));
    buffer.fill(0);
    expect(openEnvelope(verified, { cid: bob.cid, xwing: bob.secrets.xwing })).toEqual({ note: 'reused buffer' });
  });

  it('open content that the one-pass decoder leaves to @ipld/dag-cbor and the re-encode', async () => {
    const bytes = await sealedBytes({ ratio: 0.5, name: 'é' });
    const verified = await verifyEnvelope(core.bls, bytes, resolverOf([alice.identity, bob.identity]));
    expect(openEnvelope(verified, { cid: bob.cid, xwing: bob.secrets.xwing })).toEqual({ ratio: 0.5, name: 'é' });
  });
});
