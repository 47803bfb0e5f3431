/**
 * The node's crypto pool (src/node/crypto-pool/): real worker threads with their own cores. Its verdicts and the
 * envelopes it signs are the main thread's; a forged signature in a batch fails alone; the secrets are wiped at
 * close; a worker that dies costs the tasks it held, not the pool; a full queue refuses with 503 overloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import { decodeStrict, encode } from '../../src/core/protocol/cbor.ts';
import { sealedSlotOf } from '../../src/core/protocol/envelope.ts';
import {
  createEnvelope,
  createIdentity,
  decodeEnvelope,
  generateIdentitySecrets,
  openEnvelope,
  recipientOf,
  resolverOf,
  verifyEnvelope,
} from '../../src/core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, SealedBody, Verified } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import { BatchVerifier } from '../../src/node/crypto-pool/batch-verifier.ts';
import { CryptoPool } from '../../src/node/crypto-pool/pool.ts';
import { createInPool } from '../../src/node/crypto-pool/pool-envelopes.ts';
import { PoolOpener } from '../../src/node/crypto-pool/pool-opener.ts';
import { CryptoPoolError } from '../../src/node/crypto-pool/worker-slot.ts';
import { RetryLaterError } from '../../src/node/http/errors.ts';

interface Party {
  readonly secrets: IdentitySecrets;
  readonly identity: Verified<IdentityDocument>;
}

let core: Core;
let node: Party;
let alice: Party;
let pool: CryptoPool;
let verifier: BatchVerifier;

async function party(name: string): Promise<Party> {
  const secrets = await generateIdentitySecrets(core.bls);
  return { secrets, identity: await createIdentity(core.bls, secrets, { name }) };
}

/** Copies of a party's secrets, for a pool that wipes them at close. */
const secretsOf = (p: Party) => ({ bls: p.secrets.bls.slice(), xwing: p.secrets.xwing.slice() });

/** A signature triple signed by `who` over a fresh message. */
function signed(who: Party, i: number) {
  const message = new TextEncoder().encode(`message ${i} ${Math.random()}`);
  return { publicKey: who.identity.value.keys.bls, message, signature: core.bls.sign(who.secrets.bls, message) };
}

beforeAll(async () => {
  core = await createCore();
  node = await party('pool node');
  alice = await party('alice');
  pool = new CryptoPool({
    workers: 2,
    maxQueue: 64,
    secrets: secretsOf(node),
    identity: { node: node.identity.cid.toString() },
  });
  verifier = new BatchVerifier(pool, core.bls, 256);
});

afterAll(async () => {
  await pool?.close();
});

describe('crypto pool', () => {
  it('gives the verdicts of the main thread, batched across concurrent checks', async () => {
    const items = Array.from({ length: 12 }, (_, i) => signed(i % 3 === 0 ? node : alice, i));
    // Every third one checked against the other party's key: a valid signature, the wrong signer.
    const asked = items.map((it, i) => (i % 4 === 1 ? { ...it, publicKey: node.identity.value.keys.bls } : it));
    const pooled = await Promise.all(asked.map((it) => verifier.verify(it.publicKey, it.message, it.signature)));
    const local = asked.map((it) => core.bls.verify(it.publicKey, it.message, it.signature));
    expect(pooled).toEqual(local);
    expect(local.filter((v) => !v).length).toBeGreaterThan(0);
    expect(local.filter((v) => v).length).toBeGreaterThan(0);
  });

  it('refuses a forged signature in a batch alone, and one that is not a point', async () => {
    const items = Array.from({ length: 10 }, (_, i) => signed(alice, i));
    const forged = items.map((it) => ({ ...it }));
    forged[3] = { ...forged[3]!, signature: items[4]!.signature }; // a real signature, of another message
    const notAPoint = new Uint8Array(96).fill(0x42);
    forged[7] = { ...forged[7]!, signature: notAPoint };
    const verdicts = await Promise.all(forged.map((it) => verifier.verify(it.publicKey, it.message, it.signature)));
    expect(verdicts).toEqual(forged.map((_, i) => i !== 3 && i !== 7));
  });

  it('verifies envelopes through verifyEnvelope as the in-thread core does', async () => {
    const env = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'test/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(node.identity)],
      content: { n: 1 },
      sealed: true,
    });
    const known = resolverOf([alice.identity, node.identity]);
    const verified = await verifyEnvelope(verifier, decodeEnvelope(env.bytes), known);
    expect(verified.cid.equals(env.cid)).toBe(true);
    const tampered = env.bytes.slice();
    tampered[tampered.length - 5]! ^= 1; // inside the signature
    await expect(verifyEnvelope(verifier, tampered, known)).rejects.toMatchObject({ name: 'SignatureError' });
  });

  it('signs and seals envelopes with the node key: they verify and open like locally made ones', async () => {
    const init = {
      type: 'test/order-reply',
      sender: node.identity.cid,
      recipients: [recipientOf(alice.identity), recipientOf(node.identity)],
      previous: alice.identity.cid,
      order: '',
      created: 1_700_000_000_000,
      content: { order: alice.identity.cid, secret: new Uint8Array([1, 2, 3]) },
      sealed: true,
    };
    const out = await createInPool(pool, init);
    const known = resolverOf([alice.identity, node.identity]);
    const env = await verifyEnvelope(core.bls, out.bytes, known, { expected: out.cid });
    expect(env.value.header.sender.equals(node.identity.cid)).toBe(true);
    expect(env.value.header.created).toBe(init.created);
    const opened = openEnvelope(env, { cid: alice.identity.cid, xwing: alice.secrets.xwing }) as typeof init.content;
    expect(opened.order.equals(alice.identity.cid)).toBe(true);
    expect([...opened.secret]).toEqual([1, 2, 3]);
    const plain = await createInPool(pool, { type: 'test/plain', sender: node.identity.cid, content: 'hello' });
    const me = { cid: node.identity.cid, xwing: node.secrets.xwing };
    expect(openEnvelope(await verifyEnvelope(core.bls, plain.bytes, known), me)).toBe('hello');
  });

  it('opens requests sealed to the node as openEnvelope does, and keeps a failed open as its error', async () => {
    const known = resolverOf([alice.identity, node.identity]);
    const opener = new PoolOpener(pool, node.identity.cid);
    const content = { deposit: new Uint8Array([9, 8, 7]), beneficiary: alice.identity.cid, n: 42 };
    const request = async (init: { sealed: boolean; to: Party[] }) =>
      verifyEnvelope(
        core.bls,
        (
          await createEnvelope(core.bls, alice.secrets.bls, {
            type: 'test/order',
            sender: alice.identity.cid,
            recipients: init.to.map((p) => recipientOf(p.identity)),
            content,
            sealed: init.sealed,
          })
        ).bytes,
        known,
      );
    const sealed = await opener.prefetch(await request({ sealed: true, to: [node, alice] }));
    const me = { cid: node.identity.cid, xwing: node.secrets.xwing };
    expect(opener.opened(sealed)).toEqual({ content: openEnvelope(sealed, me, { requireCommitment: true }) });
    const plain = await opener.prefetch(await request({ sealed: false, to: [node] }));
    expect(opener.opened(plain)).toBeUndefined(); // nothing sealed: opened in the thread
    const notForUs = await opener.prefetch(await request({ sealed: true, to: [alice] }));
    expect(opener.opened(notForUs)).toBeUndefined();
    // A key slot whose wrapped key was altered (the signature is not what is tested here): the worker's open
    // fails, and `opened` throws that error where the in-thread open would have.
    const value = decodeEnvelope((await request({ sealed: true, to: [node] })).bytes).value;
    const slot = (value.body as SealedBody).sealed.keys[0]! as { wrapped: Uint8Array };
    slot.wrapped = slot.wrapped.slice();
    slot.wrapped[0]! ^= 1;
    const altered = { ...decodeEnvelope(encode(value)), sender: alice.identity };
    const refused = await opener.prefetch(altered);
    expect(() => opener.opened(refused)).toThrow(expect.objectContaining({ name: 'DecryptionError' }));
    expect(() => openEnvelope(altered, me, { requireCommitment: true })).toThrow(
      expect.objectContaining({ name: 'DecryptionError' }),
    );
  });

  it('opens from the key slot the event loop cut (no envelope to decode), and refuses a slot with no commitment', async () => {
    const env = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'test/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(alice.identity), recipientOf(node.identity)],
      content: { n: 7, deposit: new Uint8Array([4, 5, 6]) },
      sealed: true,
    });
    const me = { cid: node.identity.cid, xwing: node.secrets.xwing };
    const slot = sealedSlotOf(decodeEnvelope(env.bytes), node.identity.cid, { requireCommitment: true });
    expect(slot.enc).toEqual((env.value.body as SealedBody).sealed.keys[1]!.enc); // the node's slot, not alice's
    const bytes = (await pool.run({ kind: 'open', slot })) as Uint8Array;
    expect(decodeStrict(bytes)).toEqual(openEnvelope(env, me, { requireCommitment: true }));
    const { commitment: _, ...noCommitment } = slot;
    await expect(pool.run({ kind: 'open', slot: noCommitment })).rejects.toMatchObject({ name: 'KeyCommitmentError' });
  });

  it("opens a request sealed to the node in its signature's round, and nothing whose signature fails", async () => {
    const known = resolverOf([alice.identity, node.identity]);
    const opener = new PoolOpener(pool, node.identity.cid, verifier);
    const me = { cid: node.identity.cid, xwing: node.secrets.xwing };
    const make = async (i: number) =>
      decodeEnvelope(
        (
          await createEnvelope(core.bls, alice.secrets.bls, {
            type: 'test/order',
            sender: alice.identity.cid,
            recipients: [recipientOf(node.identity)],
            content: { n: i, deposit: new Uint8Array([i, 1, 2]) },
            sealed: true,
          })
        ).bytes,
      );
    // Concurrent requests: one batch (or a few), each opened by the worker right after its signature verified.
    const envs = await Promise.all([0, 1, 2, 3].map(make));
    const verified = await Promise.all(envs.map((env) => verifyEnvelope(opener.verifierFor(env)!, env, known)));
    for (const [i, env] of verified.entries()) {
      expect(opener.opened(env)).toEqual({ content: openEnvelope(env, me, { requireCommitment: true }) });
      expect((opener.opened(env)!.content as { n: number }).n).toBe(i);
      expect(await opener.prefetch(env)).toBe(env); // already opened: no second round
    }
    // A signature by someone else than the sender: refused, and the worker opened nothing.
    const forged = await make(9);
    const value = { ...forged.value, signature: core.bls.sign(node.secrets.bls, new Uint8Array([1])) };
    const altered = decodeEnvelope(encode(value));
    await expect(verifyEnvelope(opener.verifierFor(altered)!, altered, known)).rejects.toMatchObject({
      name: 'SignatureError',
    });
    expect(opener.opened({ ...altered, sender: alice.identity })).toBeUndefined();
    // Plain, or not sealed to the node: no opening verifier, the usual path.
    expect(opener.verifierFor(decodeEnvelope(encode({ ...forged.value, body: { plain: 1 } })))).toBeUndefined();
  });

  it('survives a worker crash: the tasks it held fail, the next ones run on a fresh worker', async () => {
    const items = Array.from({ length: 16 }, (_, i) => signed(alice, i));
    const inFlight = pool.run({ kind: 'verify', items });
    // The expectation is attached before the kill: the rejection must never be unhandled, even for a moment.
    const failed = expect(inFlight).rejects.toBeInstanceOf(CryptoPoolError);
    await new Promise((r) => setTimeout(r, 5));
    await pool.killWorkers();
    await failed;
    const again = await Promise.all(
      items.slice(0, 4).map((it) => verifier.verify(it.publicKey, it.message, it.signature)),
    );
    expect(again).toEqual([true, true, true, true]);
    const out = await createInPool(pool, { type: 'test/plain', sender: node.identity.cid, content: 1 });
    expect((await verifyEnvelope(core.bls, out.bytes, resolverOf([node.identity]))).cid.equals(out.cid)).toBe(true);
  });

  it('refuses work past its queue with 503 overloaded', async () => {
    const small = new CryptoPool({
      workers: 1,
      maxQueue: 2,
      secrets: secretsOf(node),
      identity: { node: node.identity.cid.toString() },
    });
    try {
      const items = [signed(alice, 0), signed(alice, 1)];
      const runs = Array.from({ length: 4 }, () => small.run({ kind: 'verify', items }));
      const settled = await Promise.allSettled(runs);
      const refused = settled.filter((s) => s.status === 'rejected');
      expect(refused.length).toBe(1); // one running, two waiting, the fourth refused
      const reason = (refused[0] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(RetryLaterError);
      expect(reason).toMatchObject({ code: 'overloaded', status: 503 });
      expect(settled.filter((s) => s.status === 'fulfilled').length).toBe(3);
    } finally {
      await small.close();
    }
  });

  it('wipes the secrets at close: the workers confirm, the pool zeroes its copy and refuses new work', async () => {
    const secret = node.secrets.bls.slice();
    const xwing = node.secrets.xwing.slice();
    const identity = { node: node.identity.cid.toString() };
    const own = new CryptoPool({ workers: 2, maxQueue: 8, secrets: { bls: secret, xwing }, identity });
    await Promise.all([
      createInPool(own, { type: 'test/plain', sender: node.identity.cid, content: 1 }),
      createInPool(own, { type: 'test/plain', sender: node.identity.cid, content: 2 }),
    ]);
    expect(secret.some((b) => b !== 0)).toBe(true);
    expect(await own.close()).toBe(2);
    expect(secret.every((b) => b === 0)).toBe(true);
    expect(xwing.every((b) => b === 0)).toBe(true);
    await expect(own.run({ kind: 'verify', items: [signed(alice, 0)] })).rejects.toBeInstanceOf(CryptoPoolError);
  });
});

describe('crypto pool: gathering checks into batches', () => {
  it('sends a lone check at once to an idle worker', async () => {
    const lone = new BatchVerifier(pool, core.bls, 64);
    const it = signed(alice, 0);
    const verdict = lone.verify(it.publicKey, it.message, it.signature);
    expect(lone.stats()).toEqual({ batches: 1, checks: 1 }); // taken by an idle worker before verify returned
    expect(await verdict).toBe(true);
  });

  it('gathers the checks that arrive while its batch waits for a busy worker, a forgery failing alone', async () => {
    const gathering = new BatchVerifier(pool, core.bls, 64);
    // Both workers busy signing: the first check's batch waits in the pool's queue and takes the later ones in.
    const replies = [1, 2].map((content) =>
      createInPool(pool, { type: 'test/plain', sender: node.identity.cid, content }),
    );
    const items = Array.from({ length: 6 }, (_, i) => signed(alice, 10 + i));
    items[4] = { ...items[4]!, signature: items[0]!.signature };
    const verdicts = items.map((it) => gathering.verify(it.publicKey, it.message, it.signature));
    expect(gathering.stats().batches).toBe(0);
    expect(await Promise.all(verdicts)).toEqual([true, true, true, true, false, true]);
    expect(gathering.stats()).toEqual({ batches: 1, checks: 6 });
    await Promise.all(replies);
  });
});
