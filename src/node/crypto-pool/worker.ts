/**
 * A crypto worker of the node (pool.ts): its own WebAssembly core, the node's BLS secret key and X-Wing seed from
 * `init` to `close`, and its tasks: checking a batch of BLS signatures (and opening, in the same round, the
 * requests sealed to the node among them whose signature verified), creating a signed (sealed) envelope, and
 * opening a request sealed to the node. It keeps
 * validated public keys (bls-key-cache.ts), so a sender seen before is not decompressed and subgroup-checked again,
 * and the X-Wing seed expanded (xwing-expanded.ts), so an open does not expand it again; both go at `close`.
 *
 * A batch is checked with one randomized multi-pairing (verifyBatch: n + 1 Miller loops, one final
 * exponentiation); when it fails the core bisects and names the bad items, so a forged signature fails alone. A
 * batch the core refuses outright (an encoding that is not a point) is checked again one item at a time, and an
 * item whose key or signature is invalid gets the verdict false, as a signature that does not verify.
 * @module
 */
import '../use-native-crypto.ts'; // first: the core's SHA-256, HKDF and AES-GCM on node:crypto in this thread
import { parentPort } from 'node:worker_threads';
import { CID } from 'multiformats/cid';
import { forgetExpanded, keepExpanded } from '../../core/crypto/xwing.ts';
import { createCore } from '../../core/index.ts';
import { validatedBlsKey } from '../../core/protocol/bls-key-cache.ts';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { openSealedSlot, type SealedSlot } from '../../core/protocol/envelope.ts';
import { KeyCommitmentError } from '../../core/protocol/errors.ts';
import { createEnvelope, type EnvelopeInit } from '../../core/protocol/index.ts';
import type { BlsPublicKey, Core } from '../../core/types.ts';
import type {
  FromWorker,
  TaskOutcome,
  TaskRequest,
  TaskValue,
  ToWorker,
  VerifiedItem,
  VerifyItem,
  VerifyOpenItem,
  WorkerIdentity,
  WorkerSecrets,
} from './messages.ts';

const port = parentPort;
if (!port) throw new Error('crypto-pool/worker.ts runs as a worker thread');

const core: Core = await createCore();
let secrets: WorkerSecrets | undefined;
let node: CID | undefined;

/** The item's key as a validated handle, or undefined when it is not a valid public key. */
function keyOf(item: VerifyItem): BlsPublicKey | undefined {
  try {
    return validatedBlsKey(core.bls, item.publicKey);
  } catch {
    return undefined;
  }
}

function verifyOne(key: BlsPublicKey, item: VerifyItem): boolean {
  try {
    return core.bls.fastAggregateVerify([key], item.message, item.signature);
  } catch {
    return false;
  }
}

/** One verdict per item: the batch in one multi-pairing, one by one only when the core refuses the batch. */
function verify(items: readonly VerifyItem[]): boolean[] {
  const keys = items.map(keyOf);
  const valid = items.flatMap((item, i) => (keys[i] ? [{ item, key: keys[i], at: i }] : []));
  const verdicts = items.map(() => false);
  if (valid.length === 1) verdicts[valid[0]!.at] = verifyOne(valid[0]!.key, valid[0]!.item);
  if (valid.length < 2) return verdicts;
  try {
    const batch = valid.map(({ item, key }) => ({ publicKey: key, message: item.message, signature: item.signature }));
    const { failed } = core.bls.verifyBatch(batch);
    const bad = new Set(failed);
    for (const [j, { at }] of valid.entries()) verdicts[at] = !bad.has(j);
  } catch {
    for (const { item, key, at } of valid) verdicts[at] = verifyOne(key, item);
  }
  return verdicts;
}

async function envelope(initBytes: Uint8Array): Promise<Uint8Array> {
  if (!secrets) throw new Error('crypto worker: no secrets (init first)');
  const init = decodeStrict(initBytes) as EnvelopeInit;
  return (await createEnvelope(core.bls, secrets.bls, init)).bytes;
}

/** The content of a request's slot, which the event loop cut from the envelope it decoded and checked. */
function open(slot: SealedSlot): Uint8Array {
  if (!secrets || !node) throw new Error('crypto worker: no secrets (init first)');
  // The event loop sends only version 2 slots; a slot without its commitment is refused here all the same.
  if (slot.commitment === undefined) throw new KeyCommitmentError('crypto worker: a request slot needs its commitment');
  return openSealedSlot(slot, { cid: node, xwing: secrets.xwing });
}

/** The batch's verdicts, then the envelopes of the items that verified and asked to be opened. */
function verifyOpen(items: readonly VerifyOpenItem[]): VerifiedItem[] {
  return verify(items).map((ok, i) => {
    const slot = items[i]!.open;
    if (!ok || slot === undefined) return { ok };
    try {
      return { ok, opened: { ok: true, value: open(slot) } };
    } catch (err) {
      const { name, message } = err instanceof Error ? err : new Error('crypto worker: open failed');
      return { ok, opened: { ok: false, name, message } };
    }
  });
}

async function run(task: TaskRequest): Promise<TaskValue> {
  switch (task.kind) {
    case 'verify':
      return verify(task.items);
    case 'verify-open':
      return verifyOpen(task.items);
    case 'envelope':
      return envelope(task.init);
    case 'open':
      return open(task.slot);
  }
}

const send = (message: FromWorker) => port.postMessage(message);

async function outcome(task: TaskRequest): Promise<TaskOutcome> {
  try {
    return { ok: true, value: await run(task) };
  } catch (err) {
    const { name, message } = err instanceof Error ? err : new Error('crypto worker: task failed');
    return { ok: false, name, message };
  }
}

port.on('message', async (message: ToWorker) => {
  switch (message.kind) {
    case 'init':
      secrets = message.secrets;
      keepExpanded(secrets.xwing); // every open decapsulates with this one key: expand its seed once, not per open
      node = CID.parse((message.identity satisfies WorkerIdentity).node);
      return;
    case 'close':
      if (secrets) forgetExpanded(secrets.xwing);
      secrets?.bls.fill(0);
      secrets?.xwing.fill(0);
      secrets = undefined;
      send({ kind: 'closed' });
      return;
    case 'round': {
      const outcomes: TaskOutcome[] = [];
      for (const task of message.tasks) outcomes.push(await outcome(task));
      send({ kind: 'round', id: message.id, outcomes });
    }
  }
});
