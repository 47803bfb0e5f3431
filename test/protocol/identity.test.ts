// Identity documents: creation, verification on read, and every way a document can be wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cidOf,
  createIdentity,
  createIdentityResolver,
  encode,
  generateIdentitySecrets,
  IDENTITY_DOMAIN,
  readIdentity,
  resolverOf,
  signingInput,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { errorName, getCore, MemoryBlocks, makeParty, type Party, tamper } from './helpers.ts';

let core: Core;
let alice: Party, bob: Party;
beforeAll(async () => {
  core = await getCore();
  alice = await makeParty(core, 'alice', {
    created: 1_700_000_000_000,
    endpoints: { http: ['https://alice.example:5556/'], libp2p: ['/ip4/127.0.0.1/tcp/4001/ws'] },
    plugins: ['safeguard', 'bitcoin'],
  });
  bob = await makeParty(core, 'bob');
});

describe('createIdentity / readIdentity', () => {
  it('round-trips: the CID is the hash of the bytes and every field reads back', async () => {
    const read = await readIdentity(core.bls, alice.identity.bytes, alice.cid);
    expect(read.cid.equals(cidOf(alice.identity.bytes))).toBe(true);
    expect(read.value).toEqual(alice.identity.value);
    expect(read.value.name).toBe('alice');
    expect(read.value.created).toBe(1_700_000_000_000);
    expect(read.value.plugins).toEqual(['safeguard', 'bitcoin']);
    expect(read.value.keys.bls).toEqual(core.bls.skToPk(alice.secrets.bls));
    expect(read.value.keys.xwing.length).toBe(1216);
    expect(Object.keys(bob.identity.value).sort()).toEqual(['created', 'keys', 'name', 'signature', 'type', 'version']);
  });

  it('secrets from the same seed give the same keys, and the same fields the same CID', async () => {
    const seed = new Uint8Array(32).fill(9);
    const [a, b] = [await generateIdentitySecrets(core.bls, seed), await generateIdentitySecrets(core.bls, seed)];
    expect(a).toEqual(b);
    expect(a.bls).not.toEqual(a.xwing);
    const fields = { name: 'same', created: 1 };
    const [x, y] = [await createIdentity(core.bls, a, fields), await createIdentity(core.bls, b, fields)];
    expect(x.cid.equals(y.cid)).toBe(true);
    expect(await errorName(() => generateIdentitySecrets(core.bls, new Uint8Array(31)))).toBe('BadLengthError');
  });

  it('a document read under another CID is a CidMismatchError', async () => {
    expect(await errorName(() => readIdentity(core.bls, alice.identity.bytes, bob.cid))).toBe('CidMismatchError');
  });

  it.each([
    [
      'the name',
      (d: any) => {
        d.name = 'mallory';
      },
    ],
    [
      'the creation time',
      (d: any) => {
        d.created += 1;
      },
    ],
    [
      'the X-Wing key',
      (d: any) => {
        d.keys.xwing[10] ^= 1;
      },
    ],
    [
      'the endpoints',
      (d: any) => {
        d.endpoints.http = ['https://mallory.example/'];
      },
    ],
    [
      'the plugin list',
      (d: any) => {
        d.plugins = ['safeguard'];
      },
    ],
    [
      'the signature',
      (d: any) => {
        d.signature = bob.identity.value.signature;
      },
    ],
  ])('changing %s is a SignatureError', async (_, change) => {
    const bytes = tamper(alice.identity.bytes, change);
    expect(await errorName(() => readIdentity(core.bls, bytes))).toBe('SignatureError');
  });

  it('a proof of possession of another key is a SignatureError, even when the document is re-signed', async () => {
    const doc = { ...alice.identity.value, keys: { ...alice.identity.value.keys, pop: bob.identity.value.keys.pop } };
    const { signature: _, ...unsigned } = doc;
    const signature = core.bls.sign(alice.secrets.bls, signingInput(IDENTITY_DOMAIN, unsigned));
    expect(await errorName(() => readIdentity(core.bls, encode({ ...unsigned, signature })))).toBe('SignatureError');
  });

  it('a BLS key that is not a valid point is a SignatureError', async () => {
    const bytes = tamper(alice.identity.bytes, (d) => {
      d.keys.bls = new Uint8Array(48).fill(0xff);
    });
    expect(await errorName(() => readIdentity(core.bls, bytes))).toBe('SignatureError');
  });

  it.each([
    [
      'an unknown field',
      (d: any) => {
        d.admin = true;
      },
    ],
    [
      'a missing field',
      (d: any) => {
        delete d.created;
      },
    ],
    [
      'a wrong version',
      (d: any) => {
        d.version = 2;
      },
    ],
    [
      'a wrong type',
      (d: any) => {
        d.type = 'dta/envelope';
      },
    ],
    [
      'a short BLS key',
      (d: any) => {
        d.keys.bls = d.keys.bls.subarray(1);
      },
    ],
    [
      'a long X-Wing key',
      (d: any) => {
        d.keys.xwing = new Uint8Array(1217);
      },
    ],
    [
      'a text creation time',
      (d: any) => {
        d.created = '2024-01-01';
      },
    ],
    [
      'a negative creation time',
      (d: any) => {
        d.created = -1;
      },
    ],
    [
      'an empty name',
      (d: any) => {
        d.name = '';
      },
    ],
    [
      'a control character in the name',
      (d: any) => {
        d.name = 'a\u0000b';
      },
    ],
    [
      'a relative URL',
      (d: any) => {
        d.endpoints.http = ['/v1/status'];
      },
    ],
    [
      'a non-http URL',
      (d: any) => {
        d.endpoints.http = ['ftp://example.org/'];
      },
    ],
    [
      'a bad multiaddr',
      (d: any) => {
        d.endpoints.libp2p = ['/ip4/not-an-ip/tcp/1'];
      },
    ],
    [
      'a bad plugin name',
      (d: any) => {
        d.plugins = ['Safe Guard'];
      },
    ],
    [
      'a duplicate plugin',
      (d: any) => {
        d.plugins = ['a', 'a'];
      },
    ],
    [
      'an unknown endpoint kind',
      (d: any) => {
        d.endpoints.smtp = ['x'];
      },
    ],
  ])('%s is a SchemaError', async (_, change) => {
    const bytes = tamper(alice.identity.bytes, change);
    expect(await errorName(() => readIdentity(core.bls, bytes))).toBe('SchemaError');
  });

  it('non-canonical bytes are a DecodeError and oversize documents an OversizeError', async () => {
    const bytes = alice.identity.bytes;
    expect(await errorName(() => readIdentity(core.bls, new Uint8Array([...bytes, 0])))).toBe('DecodeError');
    expect(await errorName(() => readIdentity(core.bls, new Uint8Array(17 * 1024)))).toBe('OversizeError');
  });

  it('refuses bad fields at creation, before signing', async () => {
    const s = bob.secrets;
    expect(await errorName(() => createIdentity(core.bls, s, { name: 'x'.repeat(129) }))).toBe('SchemaError');
    expect(await errorName(() => createIdentity(core.bls, s, { name: 'x', endpoints: { http: ['nope'] } }))).toBe(
      'SchemaError',
    );
    expect(await errorName(() => createIdentity(core.bls, s, { name: 'x', created: 1.5 }))).toBe('SchemaError');
  });
});

describe('identity resolvers', () => {
  it('createIdentityResolver fetches, verifies and caches; unknown CIDs are UnknownIdentityError', async () => {
    const blocks = new MemoryBlocks();
    blocks.put(alice.identity.bytes);
    const resolver = createIdentityResolver(core.bls, blocks, { cacheSize: 1 });
    expect((await resolver.resolve(alice.cid)).value.name).toBe('alice');
    blocks.delete(alice.cid);
    expect((await resolver.resolve(alice.cid)).value.name).toBe('alice'); // from the cache
    expect(await errorName(() => resolver.resolve(bob.cid))).toBe('UnknownIdentityError');
  });

  it('a store that returns other bytes for a CID is caught (CidMismatchError)', async () => {
    const blocks = new MemoryBlocks();
    blocks.putAs(alice.cid, bob.identity.bytes);
    expect(await errorName(() => createIdentityResolver(core.bls, blocks).resolve(alice.cid))).toBe('CidMismatchError');
  });

  it('resolverOf serves the given identities only', async () => {
    const r = resolverOf([alice.identity]);
    expect((await r.resolve(alice.cid)).cid.equals(alice.cid)).toBe(true);
    expect(await errorName(() => r.resolve(bob.cid))).toBe('UnknownIdentityError');
  });
});
