/**
 * A crypto worker of the node (pool.ts): its own WebAssembly core, the node's BLS secret key and X-Wing seed from
 * `init` to `close`, and its tasks: checking a batch of BLS signatures (and opening, in the same round, the
 * requests sealed to the node among them whose signature verified), creating a signed (sealed) envelope, and
 * opening a request sealed to the node. It keeps
 * validated public keys (bls-key-cache.ts), so a sender seen before is not decompressed and subgroup-checked again.
 *
 * A batch is checked with one randomized multi-pairing (verifyBatch: n + 1 Miller loops, one final
 * exponentiation); when it fails the core bisects and names the bad items, so a forged signature fails alone. A
 * batch the core refuses outright (an encoding that is not a point) is checked again one item at a time, and an
 * item whose key or signature is invalid gets the verdict false, as a signature that does not verify.
 *
 * A request's parts (a safeguard deposit, a custody share: envelopes by the same sender, sealed to the node, carried
 * as bytes in the request's sealed content) are checked in the same multi-pairing as the request: the worker opens
 * the requests of a batch first, finds their parts, and checks every signature at once, so an order costs one
 * final exponentiation and one round between threads instead of two. Nothing opened leaves the worker unless its
 * signature verified: a request that fails keeps only its verdict, its content wiped.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { CID } from 'multiformats/cid';
import { createCore } from '../../core/index.ts';
import { validatedBlsKey } from '../../core/protocol/bls-key-cache.ts';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { openSealedBytes } from '../../core/protocol/envelope.ts';
import { createEnvelope, decodeEnvelope, type EnvelopeInit, isSealed } from '../../core/protocol/index.ts';
import { ENVELOPE_DOMAIN, signingInput, signingInputOf } from '../../core/protocol/signing.ts';
import type { Envelope, Verified } from '../../core/protocol/types.ts';
import type { BlsPublicKey, Core } from '../../core/types.ts';
import type {
  FromWorker,
  TaskOutcome,
  TaskRequest,
  TaskValue,
  ToWorker,
  VerifiedItem,
  VerifiedPart,
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

function open(envelope: Uint8Array): Uint8Array {
  return openDecoded(decodeEnvelope(envelope));
}

function openDecoded(env: Verified<Envelope>): Uint8Array {
  if (!secrets || !node) throw new Error('crypto worker: no secrets (init first)');
  return openSealedBytes(env, { cid: node, xwing: secrets.xwing }, { requireCommitment: true });
}

/** Runs `fn`, its error kept as name and message (never a stack) for the main thread. */
function outcomeOf(fn: () => Uint8Array): TaskOutcome {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    const { name, message } = err instanceof Error ? err : new Error('crypto worker: open failed');
    return { ok: false, name, message };
  }
}

/** Most parts looked for in one request: the plugins carry one (a deposit, a share); more are checked on the loop. */
const MAX_PARTS = 4;

/** A part of an opened request, with the signature check it needs (under the request's sender's key). */
interface Part {
  readonly env: Verified<Envelope>;
  readonly check: VerifyItem;
}

/** Whether `env` is sealed to this node by the request's sender: a part its request's round can check and open. */
function isPartOf(env: Verified<Envelope>, request: Verified<Envelope>): boolean {
  const { header, body } = env.value;
  if (!header.sender.equals(request.value.header.sender) || !isSealed(body)) return false;
  return body.sealed.keys.some((k) => node !== undefined && k.recipient.equals(node));
}

/** The parts among the top-level byte strings of a request's content; anything else is left to the event loop. */
function partsOf(content: Uint8Array, request: Verified<Envelope>, publicKey: Uint8Array): Part[] {
  let value: unknown;
  try {
    value = decodeStrict(content);
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  const parts: Part[] = [];
  for (const field of Object.values(value)) {
    if (!(field instanceof Uint8Array) || parts.length >= MAX_PARTS) continue;
    try {
      const env = decodeEnvelope(field);
      if (!isPartOf(env, request)) continue;
      const { header, body, signature } = env.value;
      const message = signingInputOf(ENVELOPE_DOMAIN, env.bytes, 3) ?? signingInput(ENVELOPE_DOMAIN, { header, body });
      parts.push({ env, check: { publicKey, message, signature } });
    } catch {
      // bytes that are not an envelope are not a part
    }
  }
  return parts;
}

/** A request of the batch, opened ahead of its verdict, and its parts. */
interface Opening {
  readonly outcome: TaskOutcome;
  readonly parts: readonly Part[];
}

/** Opens a request that asked for it (before its signature is checked: its parts join the same batch). */
function openAhead(item: VerifyOpenItem): Opening | undefined {
  if (item.open === undefined) return undefined;
  const open = item.open;
  let env: Verified<Envelope> | undefined;
  const outcome = outcomeOf(() => {
    env = decodeEnvelope(open);
    return openDecoded(env);
  });
  const parts = outcome.ok && env ? partsOf(outcome.value as Uint8Array, env, item.publicKey) : [];
  return { outcome, parts };
}

/**
 * The batch's verdicts, its requests' and their parts' signatures in one multi-pairing, then, for each request that
 * verified and asked to be opened, its content and its verified parts opened; a request that failed is wiped.
 */
function verifyOpen(items: readonly VerifyOpenItem[]): VerifiedItem[] {
  const openings = items.map(openAhead);
  const verdicts = verify([...items, ...openings.flatMap((o) => o?.parts.map((p) => p.check) ?? [])]);
  let next = items.length;
  return items.map((_, i) => {
    const opening = openings[i];
    const first = next;
    next += opening?.parts.length ?? 0;
    const ok = verdicts[i]!;
    if (!opening) return { ok };
    if (!ok) {
      if (opening.outcome.ok) (opening.outcome.value as Uint8Array).fill(0);
      return { ok };
    }
    const parts: VerifiedPart[] = opening.parts.flatMap((p, j) =>
      verdicts[first + j] ? [{ cid: p.env.cid.toString(), opened: outcomeOf(() => openDecoded(p.env)) }] : [],
    );
    return parts.length > 0 ? { ok, opened: opening.outcome, parts } : { ok, opened: opening.outcome };
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
      return open(task.envelope);
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
      node = CID.parse((message.identity satisfies WorkerIdentity).node);
      return;
    case 'close':
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
