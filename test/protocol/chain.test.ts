// Order chains: a principal, a fiduciary and a beneficiary; the verifier walks the chain from its head.
import type { CID } from 'multiformats/cid';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createEnvelope,
  type EnvelopeInit,
  type IdentityResolver,
  orderIdOf,
  recipientOf,
  resolverOf,
  verifyChain,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { errorName, getCore, MemoryBlocks, makeParty, type Party } from './helpers.ts';

let core: Core;
let principal: Party, fiduciary: Party, beneficiary: Party, mallory: Party;
let identities: IdentityResolver;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  core = await getCore();
  const names = ['principal', 'fiduciary', 'beneficiary', 'mallory'];
  [principal, fiduciary, beneficiary, mallory] = (await Promise.all(names.map((n) => makeParty(core, n)))) as [
    Party,
    Party,
    Party,
    Party,
  ];
  identities = resolverOf([principal, fiduciary, beneficiary, mallory].map((p) => p.identity));
});

interface Step {
  from: Party;
  to: Party[];
  type: string;
  created?: number;
  order?: string;
  previous?: CID | null;
}

/** Signs and stores each step, linking it to the one before; returns the CIDs, first to last. */
async function build(blocks: MemoryBlocks, steps: Step[]): Promise<CID[]> {
  const cids: CID[] = [];
  for (const [i, s] of steps.entries()) {
    const init: EnvelopeInit = {
      type: s.type,
      sender: s.from.cid,
      recipients: s.to.map((p) => recipientOf(p.identity)),
      sealed: s.to.length > 0,
      previous: s.previous !== undefined ? s.previous : (cids[i - 1] ?? null),
      order: s.order ?? (i === 0 ? '' : cids[0]!.toString()),
      created: s.created ?? T0 + i * 1000,
      content: { step: i },
    };
    cids.push(blocks.put((await createEnvelope(core.bls, s.from.secrets.bls, init)).bytes));
  }
  return cids;
}

const flow = (): Step[] => [
  { from: principal, to: [fiduciary, beneficiary], type: 'order/create' },
  { from: fiduciary, to: [principal], type: 'order/accept' },
  { from: beneficiary, to: [fiduciary], type: 'order/redeem' },
  { from: fiduciary, to: [beneficiary], type: 'order/release' },
];

describe('verifyChain', () => {
  it('returns the whole order, first to last, with its senders checked', async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow());
    const chain = await verifyChain(core.bls, blocks, cids[3]!, identities);
    expect(chain.map((e) => e.cid.toString())).toEqual(cids.map(String));
    expect(chain.map((e) => e.value.header.type)).toEqual([
      'order/create',
      'order/accept',
      'order/redeem',
      'order/release',
    ]);
    expect(orderIdOf(chain[0]!)).toBe(cids[0]!.toString());
    expect(chain.map((e) => e.sender.value.name)).toEqual(['principal', 'fiduciary', 'beneficiary', 'fiduciary']);
    // A prefix is a chain too.
    expect((await verifyChain(core.bls, blocks, cids[1]!, identities)).length).toBe(2);
  });

  it('a missing block is a broken link (ChainError)', async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow());
    blocks.delete(cids[1]!);
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities))).toBe('ChainError');
  });

  it('a store that substitutes another envelope for a link is caught (CidMismatchError)', async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow());
    blocks.putAs(cids[1]!, await blocks.get(cids[2]!)); // well-formed, signed, but not the block linked to
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities))).toBe('CidMismatchError');
  });

  it('a step naming another order id is a ChainError', async () => {
    const blocks = new MemoryBlocks();
    const steps = flow();
    steps[2]!.order = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const cids = await build(blocks, steps);
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities))).toBe('ChainError');
  });

  it('a first step that names an order id is a ChainError', async () => {
    const blocks = new MemoryBlocks();
    const order = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const cids = await build(blocks, [{ from: principal, to: [fiduciary], type: 'order/create', order }]);
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[0]!, identities))).toBe('ChainError');
  });

  it("a forged step (signed by someone else in the sender's name) is a SignatureError", async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow().slice(0, 2));
    const forged = await createEnvelope(core.bls, mallory.secrets.bls, {
      type: 'order/redeem',
      sender: beneficiary.cid,
      recipients: [recipientOf(fiduciary.identity)],
      sealed: true,
      previous: cids[1]!,
      order: cids[0]!.toString(),
      created: T0 + 5000,
      content: { step: 2 },
    });
    const head = blocks.put(forged.bytes);
    expect(await errorName(() => verifyChain(core.bls, blocks, head, identities))).toBe('SignatureError');
  });

  it('a step by an identity that is no party to the order is a ChainError', async () => {
    const blocks = new MemoryBlocks();
    const steps = flow();
    steps[2] = { from: mallory, to: [fiduciary], type: 'order/redeem' };
    const cids = await build(blocks, steps.slice(0, 3));
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[2]!, identities))).toBe('ChainError');
  });

  it('creation times going backwards are a ChainError', async () => {
    const blocks = new MemoryBlocks();
    const steps = flow();
    steps[2]!.created = T0;
    const cids = await build(blocks, steps);
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities))).toBe('ChainError');
  });

  it('participants and length limits', async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow());
    const all = [principal.cid, fiduciary.cid, beneficiary.cid];
    expect((await verifyChain(core.bls, blocks, cids[3]!, identities, { participants: all })).length).toBe(4);
    expect(
      await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities, { participants: all.slice(0, 2) })),
    ).toBe('ChainError');
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, identities, { maxLength: 3 }))).toBe(
      'ChainError',
    );
  });

  it('an unknown sender identity is an UnknownIdentityError', async () => {
    const blocks = new MemoryBlocks();
    const cids = await build(blocks, flow());
    const partial = resolverOf([principal.identity, fiduciary.identity]);
    expect(await errorName(() => verifyChain(core.bls, blocks, cids[3]!, partial))).toBe('UnknownIdentityError');
  });
});
