/**
 * What a client checks of the `log` part of an order reply: the checkpoint is a note signed by the node's log
 * key, for the node's log origin, and each envelope of the step is included in it (RFC 9162 inclusion proof of
 * the entry `0x01 ‖ binary CID`). The log key comes from the node's identity document (`log`), or, for a node
 * whose identity was made before logs, from its `dta/log-key` statement: a plain envelope signed by the node's
 * BLS key (GET /v1/log/key). Specified in docs/protocol.md#the-nodes-log.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { fromBase64 } from '../bytes.ts';
import { decodeEnvelope, isSealed, verifyEnvelope } from '../protocol/envelope.ts';
import { logEntry } from '../protocol/log-entry.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../protocol/types.ts';
import { bytes, struct, text } from '../schema.ts';
import { type Checkpoint, parseCheckpoint } from '../tlog/checkpoint.ts';
import { leafHash, verifyInclusion } from '../tlog/merkle.ts';
import { ed25519VerifierKey, openNote, parseVerifierKey } from '../tlog/note.ts';
import { ReplyError } from './errors.ts';

/** Envelope type of the statement that binds a log to an identity made before logs. */
export const LOG_KEY_STATEMENT_TYPE = 'dta/log-key';

/** A node's log as a client knows it. */
export interface LogKey {
  readonly origin: string;
  readonly publicKey: Uint8Array;
  /** The signed-note verifier key (`<origin>+<key hash>+<base64>`). */
  readonly verifierKey: string;
}

/** One envelope of a step and where it is in the log. */
export interface LoggedEntry {
  readonly cid: string;
  readonly index: number;
  readonly proof: readonly string[]; // base64 hashes, leaf side first
}

/** The `log` part of an order reply. */
export interface LogReceipt {
  readonly checkpoint: string; // the signed note
  readonly entries: readonly LoggedEntry[];
}

const statementContent = struct({
  origin: text({ minBytes: 1, maxBytes: 256, pattern: /^[\x21-\x2a\x2c-\x7e]+$/, what: 'a log origin' }),
  key: bytes(32),
});

const keyOf = (origin: string, publicKey: Uint8Array): LogKey => ({
  origin,
  publicKey,
  verifierKey: ed25519VerifierKey(origin, publicKey),
});

/** The log key an identity document binds, or undefined (a node made before logs, or not a node). */
export function logKeyOfIdentity(node: Verified<IdentityDocument>): LogKey | undefined {
  const log = node.value.log;
  return log ? keyOf(log.origin, log.key) : undefined;
}

/** The log key of a `dta/log-key` statement, verified: a plain envelope of that type signed by `node`. */
export async function logKeyOfStatement(
  bls: BlsSigner,
  node: Verified<IdentityDocument>,
  statement: Uint8Array,
): Promise<LogKey> {
  let envelope;
  try {
    envelope = await verifyEnvelope(bls, decodeEnvelope(statement), node);
  } catch (e) {
    throw new ReplyError(`log key statement: ${(e as Error).message}`);
  }
  const { header, body } = envelope.value;
  if (header.type !== LOG_KEY_STATEMENT_TYPE || isSealed(body)) {
    throw new ReplyError(`log key statement: expected a plain ${LOG_KEY_STATEMENT_TYPE} envelope`);
  }
  const content = checked(() => statementContent(body.plain, 'statement'), 'log key statement');
  return keyOf(content.origin, content.key);
}

/**
 * Checks a reply's log receipt against the node's log key: the checkpoint's signature and origin, and that
 * every CID of `expected` is one of its entries, included at the index it gives. Returns the checkpoint.
 * Throws ReplyError (with the tlog error's code in the message) on any failure.
 */
export async function verifyLogReceipt(
  receipt: LogReceipt,
  key: LogKey,
  expected: readonly CID[],
): Promise<Checkpoint> {
  const opened = await checkedAsync(() => openNote(receipt.checkpoint, [parseVerifierKey(key.verifierKey)]), 'log');
  if (!opened.verified.some((s) => s.name === key.origin)) {
    throw new ReplyError('log: the checkpoint is not signed by the node’s log key');
  }
  const checkpoint = checked(() => parseCheckpoint(opened.text), 'log.checkpoint');
  if (checkpoint.origin !== key.origin) throw new ReplyError('log: the checkpoint is of another log');
  for (const cid of expected) {
    const entry = receipt.entries.find((e) => e.cid === cid.toString());
    if (!entry) throw new ReplyError(`log: no inclusion proof for ${cid}`);
    const proof = entry.proof.map((p, i) => checked(() => fromBase64(p, `log proof[${i}]`), 'log'));
    const leaf = leafHash(logEntry('envelope', cid));
    checked(() => verifyInclusion(leaf, entry.index, checkpoint.size, proof, checkpoint.root), 'log');
  }
  return checkpoint;
}

/** `fn()`, its failure a ReplyError naming `what` and the failing code. */
function checked<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (e) {
    throw asReplyError(e, what);
  }
}

async function checkedAsync<T>(fn: () => T | Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asReplyError(e, what);
  }
}

function asReplyError(e: unknown, what: string): ReplyError {
  const code = (e as { code?: unknown }).code;
  return new ReplyError(`${what}: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}`);
}
