// Envelopes: plain and sealed round trips, every tampering caught by name, recipients only.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cidOf,
  createEnvelope,
  decodeEnvelope,
  ENVELOPE_DOMAIN,
  type Envelope,
  type EnvelopeInit,
  encode,
  IDENTITY_DOMAIN,
  type IdentityResolver,
  openEnvelope,
  recipientOf,
  resolverOf,
  signingInput,
  type Verified,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { errorName, getCore, makeParty, type Party, tamper } from './helpers.ts';

let core: Core;
let alice: Party, bob: Party, carol: Party, mallory: Party;
let identities: IdentityResolver;
let sealed: Verified<Envelope>;
const content = { secret: new Uint8Array([1, 2, 3]), note: 'for bob and carol', n: 42 };

const opener = (p: Party) => ({ cid: p.cid, xwing: p.secrets.xwing });
const init = (over: Partial<EnvelopeInit> = {}): EnvelopeInit => ({
  type: 'safeguard/deposit',
  sender: alice.cid,
  recipients: [recipientOf(bob.identity), recipientOf(carol.identity)],
  previous: cidOf(new Uint8Array([7])),
  order: cidOf(new Uint8Array([8])).toString(),
  created: 1_700_000_000_000,
  sealed: true,
  content,
  ...over,
});

beforeAll(async () => {
  core = await getCore();
  const names = ['alice', 'bob', 'carol', 'mallory'];
  [alice, bob, carol, mallory] = (await Promise.all(names.map((n) => makeParty(core, n)))) as [
    Party,
    Party,
    Party,
    Party,
  ];
  identities = resolverOf([alice, bob, carol, mallory].map((p) => p.identity));
  sealed = await createEnvelope(core.bls, alice.secrets.bls, init());
});

describe('plain envelopes', () => {
  it('round-trip; anyone reads the content; the signature verifies', async () => {
    const env = await createEnvelope(
      core.bls,
      alice.secrets.bls,
      init({ sealed: false, recipients: [], content: { public: 'yes' } }),
    );
    const v = await verifyEnvelope(core.bls, env.bytes, identities);
    expect(v.cid.equals(env.cid)).toBe(true);
    expect(v.sender.cid.equals(alice.cid)).toBe(true);
    expect(openEnvelope(v, opener(mallory))).toEqual({ public: 'yes' });
    expect(v.value.header.nonce.length).toBe(16);
  });

  it('a changed plain content is a SignatureError', async () => {
    const env = await createEnvelope(core.bls, alice.secrets.bls, init({ sealed: false, content: { amount: 1 } }));
    const bytes = tamper(env.bytes, (d) => {
      d.body.plain.amount = 1000;
    });
    expect(await errorName(() => verifyEnvelope(core.bls, bytes, identities))).toBe('SignatureError');
  });
});

describe('sealed envelopes', () => {
  it('every recipient opens the same content; the header is the one given', async () => {
    const v = await verifyEnvelope(core.bls, sealed.bytes, identities, { expected: sealed.cid });
    expect(openEnvelope(v, opener(bob))).toEqual(content);
    expect(openEnvelope(v, opener(carol))).toEqual(content);
    expect(v.value.header.recipients.map(String)).toEqual([bob.cid, carol.cid].map(String));
    expect(v.value.header.type).toBe('safeguard/deposit');
  });

  it('the content is not in the clear', () => {
    const hay = Buffer.from(sealed.bytes).toString('latin1');
    expect(hay.includes('for bob and carol')).toBe(false);
  });

  it('an envelope addressed to someone else cannot be opened (NotRecipientError)', async () => {
    const v = await verifyEnvelope(core.bls, sealed.bytes, identities);
    expect(await errorName(() => openEnvelope(v, opener(mallory)))).toBe('NotRecipientError');
    expect(await errorName(() => openEnvelope(v, opener(alice)))).toBe('NotRecipientError');
  });

  it('claiming a recipient CID without its key gives DecryptionError', async () => {
    const v = await verifyEnvelope(core.bls, sealed.bytes, identities);
    expect(await errorName(() => openEnvelope(v, { cid: bob.cid, xwing: mallory.secrets.xwing }))).toBe(
      'DecryptionError',
    );
  });

  it('a sealed envelope needs recipients, each with an X-Wing key', async () => {
    expect(await errorName(() => createEnvelope(core.bls, alice.secrets.bls, init({ recipients: [] })))).toBe(
      'SchemaError',
    );
    expect(
      await errorName(() => createEnvelope(core.bls, alice.secrets.bls, init({ recipients: [{ cid: bob.cid }] }))),
    ).toBe('SchemaError');
    const dup = [recipientOf(bob.identity), recipientOf(bob.identity)];
    expect(await errorName(() => createEnvelope(core.bls, alice.secrets.bls, init({ recipients: dup })))).toBe(
      'SchemaError',
    );
  });

  it('a content that is not DAG-CBOR, or a bad header field, is refused at creation (SchemaError)', async () => {
    const sk = alice.secrets.bls;
    expect(await errorName(() => createEnvelope(core.bls, sk, init({ content: undefined })))).toBe('SchemaError');
    expect(await errorName(() => createEnvelope(core.bls, sk, init({ type: 'Bad Type' })))).toBe('SchemaError');
    expect(await errorName(() => createEnvelope(core.bls, sk, init({ order: 'not-a-cid' })))).toBe('SchemaError');
    expect(await errorName(() => createEnvelope(core.bls, sk, init({ nonce: new Uint8Array(8) })))).toBe('SchemaError');
  });
});

describe('tampering', () => {
  // Each change re-encodes canonically, so only the signature (and, for sealed parts, the AEADs) can catch it.
  const headerChanges: [string, (d: any) => void][] = [
    [
      'type',
      (d) => {
        d.header.type = 'safeguard/withdraw';
      },
    ],
    [
      'sender',
      (d) => {
        d.header.sender = mallory.cid;
      },
    ],
    [
      'recipients',
      (d) => {
        d.header.recipients = [carol.cid, bob.cid];
        d.body.sealed.keys.reverse();
      },
    ],
    [
      'previous',
      (d) => {
        d.header.previous = cidOf(new Uint8Array([9]));
      },
    ],
    [
      'previous (removed)',
      (d) => {
        d.header.previous = null;
      },
    ],
    [
      'order',
      (d) => {
        d.header.order = cidOf(new Uint8Array([9])).toString();
      },
    ],
    [
      'created',
      (d) => {
        d.header.created += 1;
      },
    ],
    [
      'nonce',
      (d) => {
        d.header.nonce[0] ^= 1;
      },
    ],
  ];

  it.each(headerChanges)('header.%s: verify gives SignatureError, open DecryptionError', async (field, change) => {
    const bytes = tamper(sealed.bytes, change);
    const verify = await errorName(() => verifyEnvelope(core.bls, bytes, identities));
    expect(verify).toBe('SignatureError');
    // Even without the signature check, the header is the AEADs' associated data.
    expect(await errorName(() => openEnvelope(decodeEnvelope(bytes), opener(bob))), field).toBe('DecryptionError');
  });

  it.each([
    [
      'the content ciphertext',
      (d: any) => {
        d.body.sealed.ciphertext[0] ^= 1;
      },
    ],
    [
      'the content tag',
      (d: any) => {
        d.body.sealed.ciphertext[d.body.sealed.ciphertext.length - 1] ^= 1;
      },
    ],
    [
      'the content nonce',
      (d: any) => {
        d.body.sealed.nonce[0] ^= 1;
      },
    ],
    [
      "bob's wrapped key",
      (d: any) => {
        d.body.sealed.keys[0].wrapped[3] ^= 1;
      },
    ],
    [
      "bob's encapsulation",
      (d: any) => {
        d.body.sealed.keys[0].enc[100] ^= 1;
      },
    ],
    [
      "bob's slot swapped with carol's",
      (d: any) => {
        const [a, b] = d.body.sealed.keys;
        [a.enc, b.enc, a.wrapped, b.wrapped] = [b.enc, a.enc, b.wrapped, a.wrapped];
      },
    ],
  ])("%s: verify gives SignatureError, bob's open DecryptionError", async (_, change) => {
    const bytes = tamper(sealed.bytes, change);
    expect(await errorName(() => verifyEnvelope(core.bls, bytes, identities))).toBe('SignatureError');
    expect(await errorName(() => openEnvelope(decodeEnvelope(bytes), opener(bob)))).toBe('DecryptionError');
  });

  it('a changed or swapped signature is a SignatureError', async () => {
    const other = await createEnvelope(core.bls, alice.secrets.bls, init());
    const flipped = tamper(sealed.bytes, (d) => {
      d.signature = other.value.signature;
    });
    expect(await errorName(() => verifyEnvelope(core.bls, flipped, identities))).toBe('SignatureError');
    const garbage = tamper(sealed.bytes, (d) => {
      d.signature = new Uint8Array(96).fill(0xaa);
    });
    expect(await errorName(() => verifyEnvelope(core.bls, garbage, identities))).toBe('SignatureError');
  });

  it('a signature by someone else claiming to be the sender is a SignatureError', async () => {
    const forged = await createEnvelope(core.bls, mallory.secrets.bls, init());
    expect(await errorName(() => verifyEnvelope(core.bls, forged.bytes, identities))).toBe('SignatureError');
  });

  it('a signature over the same bytes under the identity domain does not verify as an envelope', async () => {
    const { header, body } = sealed.value;
    const wrongDomain = core.bls.sign(alice.secrets.bls, signingInput(IDENTITY_DOMAIN, { header, body }));
    const bytes = encode({ header, body, signature: wrongDomain });
    expect(await errorName(() => verifyEnvelope(core.bls, bytes, identities))).toBe('SignatureError');
    const right = core.bls.sign(alice.secrets.bls, signingInput(ENVELOPE_DOMAIN, { header, body }));
    expect(
      await errorName(() => verifyEnvelope(core.bls, encode({ header, body, signature: right }), identities)),
    ).toBeUndefined();
  });

  it("key slots out of the recipients' order, or missing, are a SchemaError", async () => {
    const reordered = tamper(sealed.bytes, (d) => {
      d.body.sealed.keys.reverse();
    });
    expect(await errorName(() => decodeEnvelope(reordered))).toBe('SchemaError');
    const missing = tamper(sealed.bytes, (d) => {
      d.body.sealed.keys.pop();
    });
    expect(await errorName(() => verifyEnvelope(core.bls, missing, identities))).toBe('SchemaError');
  });

  it.each([
    [
      'an unknown header field',
      (d: any) => {
        d.header.priority = 1;
      },
    ],
    [
      'an unknown top-level field',
      (d: any) => {
        d.extra = 1;
      },
    ],
    [
      'both plain and sealed',
      (d: any) => {
        d.body.plain = 1;
      },
    ],
    [
      'a short encapsulation',
      (d: any) => {
        d.body.sealed.keys[0].enc = d.body.sealed.keys[0].enc.subarray(1);
      },
    ],
    [
      'a short signature',
      (d: any) => {
        d.signature = d.signature.subarray(1);
      },
    ],
    [
      'a version 3 header',
      (d: any) => {
        d.header.version = 3;
      },
    ],
    [
      'a version 1 header over a body with a key commitment',
      (d: any) => {
        d.header.version = 1;
      },
    ],
    [
      'a version 2 sealed body without its key commitment',
      (d: any) => {
        delete d.body.sealed.commitment;
      },
    ],
    [
      'a short key commitment',
      (d: any) => {
        d.body.sealed.commitment = d.body.sealed.commitment.subarray(1);
      },
    ],
    [
      'a non-canonical order id',
      (d: any) => {
        d.header.order = d.header.order.toUpperCase();
      },
    ],
    [
      'a CID string as the sender',
      (d: any) => {
        d.header.sender = d.header.sender.toString();
      },
    ],
  ])('%s is a SchemaError', async (_, change) => {
    expect(await errorName(() => decodeEnvelope(tamper(sealed.bytes, change)))).toBe('SchemaError');
  });

  it('non-canonical bytes are a DecodeError; the wrong expected CID a CidMismatchError', async () => {
    expect(await errorName(() => decodeEnvelope(new Uint8Array([...sealed.bytes, 0])))).toBe('DecodeError');
    expect(await errorName(() => decodeEnvelope(sealed.bytes, alice.cid))).toBe('CidMismatchError');
  });

  it('verifying against an identity that is not the sender is an UnknownIdentityError; an unknown sender too', async () => {
    expect(await errorName(() => verifyEnvelope(core.bls, sealed.bytes, bob.identity))).toBe('UnknownIdentityError');
    expect(await errorName(() => verifyEnvelope(core.bls, sealed.bytes, resolverOf([bob.identity])))).toBe(
      'UnknownIdentityError',
    );
    expect(await errorName(() => verifyEnvelope(core.bls, sealed.bytes, alice.identity))).toBeUndefined();
  });
});
