// t-of-n M-Pin issuing, the parts that need no running node: the "dkg" setting, an issuer configured with a
// session it cannot read, and the authentication server's checks of server-secret shares against a DKG (shares
// dealt by the core's VSS, as a DKG's are): any t recombine to s·Q; a share under another node's index, a node
// that disagrees on the commitments, a document that is not the tagged session, too few shares — each refused.
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/core/bytes.ts';
import { createSession, type DkgSession } from '../../src/core/dkg/messages.ts';
import type { Verified } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { parseMpinConfig } from '../../src/node/plugins/mpin/config.ts';
import { Issuer } from '../../src/node/plugins/mpin/issuer.ts';
import { thresholdServerSecret } from '../../src/node/plugins/mpin/server-shares.ts';
import { MpinError } from '../../src/plugins/mpin/errors.ts';
import { MPIN_DKG_PURPOSE, type NodeShare } from '../../src/plugins/mpin/threshold.ts';
import { PASS, sharedCore, tempDir } from './harness.ts';

const T = 3;
const N = 5;
let core: Core;
let nodes: CID[];
let session: Verified<DkgSession>;
let secret: Uint8Array; // the dealt s (in a real DKG nobody holds it; here it gives the expected s·Q)
let commitments: Uint8Array[];
let replies: NodeShare[];

const cidOf = async (name: string) => CID.create(1, dagCbor.code, await sha256.digest(dagCbor.encode({ name })));
const milagro = (fr: Uint8Array) => Uint8Array.from([...new Uint8Array(16), ...fr]);

function thrown(fn: () => unknown): MpinError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MpinError);
    return e as MpinError;
  }
  throw new Error('expected an MpinError');
}

beforeAll(async () => {
  core = await sharedCore();
  nodes = await Promise.all(Array.from({ length: N }, (_, i) => cidOf(`node ${i + 1}`)));
  session = createSession({ group: 'bls12-381', nodes, t: T, purpose: MPIN_DKG_PURPOSE });
  secret = core.vss.random();
  const dealt = core.vss.deal(secret, T, N);
  commitments = dealt.commitments;
  const group = { document: session.bytes, commitments };
  replies = dealt.shares.map((s, k) => ({
    node: nodes[k]!,
    reply: {
      share: core.mpin.serverSecret(milagro(s.value)),
      tag: { session: session.cid, index: s.index, t: T },
      group,
    },
  }));
});

describe('the "dkg" setting', () => {
  it('takes a session CID in its canonical spelling, nothing else', () => {
    const dkg = session.cid.toString();
    expect(parseMpinConfig({ dkg }).dkg?.equals(session.cid)).toBe(true);
    expect(parseMpinConfig({}).dkg).toBeUndefined();
    for (const bad of [1, 'not a cid', dkg.toUpperCase(), session.cid.toV1().toString().slice(0, 20), [dkg]]) {
      expect(thrown(() => parseMpinConfig({ dkg: bad })).code).toBe('malformed');
    }
  });

  it('an issuer whose node runs no DKGs answers not_ready and issues nothing', async () => {
    const tmp = await tempDir('dta-mpin-th-');
    try {
      const keystore = await FileKeystore.create(tmp.dir, PASS, { scryptLogN: 14 });
      const scoped = scopeKeystore(keystore, 'mpin');
      const issuer = new Issuer(core, scoped, parseMpinConfig({ dkg: session.cid.toString() }));
      await expect(issuer.ownServerSecret()).rejects.toMatchObject({ code: 'not_ready', status: 503 });
      expect(await issuer.threshold()).toEqual({ session: session.cid });
      expect(await scoped.get('master')).toBeUndefined(); // nothing drawn in its place
    } finally {
      await tmp.cleanup();
    }
  });
});

describe("the authentication server's checks of t-of-n server-secret shares", () => {
  it('any t verified shares recombine to s·Q', () => {
    const want = core.mpin.serverSecret(milagro(secret));
    for (const pick of [
      [0, 1, 2],
      [2, 3, 4],
      [4, 0, 2],
    ]) {
      const got = thresholdServerSecret(
        core,
        pick.map((k) => replies[k]!),
      );
      expect(equalBytes(got, want)).toBe(true);
    }
  });

  it("a share that is another node's, under this node's index, is named", () => {
    const [a, b, c] = replies as [NodeShare, NodeShare, NodeShare];
    const lying = { node: c.node, reply: { ...c.reply, share: b.reply.share } };
    const e = thrown(() => thresholdServerSecret(core, [a, b, lying]));
    expect(e.code).toBe('bad_share');
    expect(e.message).toContain(nodes[2]!.toString());
  });

  it('a node that disagrees on the commitments, or a document that is not the session, is refused', () => {
    const [a, b, c] = replies as [NodeShare, NodeShare, NodeShare];
    const other = core.vss.deal(core.vss.random(), T, N).commitments;
    const disagreeing = { node: c.node, reply: { ...c.reply, group: { document: session.bytes, commitments: other } } };
    const e = thrown(() => thresholdServerSecret(core, [a, b, disagreeing]));
    expect([e.code, e.message]).toEqual(['bad_share', expect.stringContaining('disagrees')]);
    const another = createSession({ group: 'bls12-381', nodes, t: T, purpose: MPIN_DKG_PURPOSE });
    const moved = (s: NodeShare) => ({
      node: s.node,
      reply: { ...s.reply, group: { document: another.bytes, commitments } },
    });
    expect(thrown(() => thresholdServerSecret(core, [a, b, c].map(moved))).code).toBe('bad_share');
    const wrongPurpose = createSession({ group: 'bls12-381', nodes, t: T, purpose: 'custody:secret' });
    const custody = (s: NodeShare) => ({
      node: s.node,
      reply: {
        ...s.reply,
        tag: { ...s.reply.tag!, session: wrongPurpose.cid },
        group: { document: wrongPurpose.bytes, commitments },
      },
    });
    expect(thrown(() => thresholdServerSecret(core, [a, b, c].map(custody))).code).toBe('bad_request');
  });

  it('fewer than t shares are not enough', () => {
    expect(thrown(() => thresholdServerSecret(core, replies.slice(0, T - 1))).code).toBe('not_ready');
  });
});
