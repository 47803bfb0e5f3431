/**
 * The JSON the node's HTTP API answers, as types, with parsers that check
 * every field a client relies on (a reply of the wrong shape is a
 * ReplyError, not an undefined deep inside a caller). Unknown fields are
 * ignored: a newer node may say more. Field meanings: the README's HTTP API
 * section and GET /openapi.json.
 * @module
 */
import { CID } from 'multiformats/cid';
import { fromBase64 } from '../bytes.ts';
import { parseCheckpoint } from '../tlog/checkpoint.ts';
import { parseNote } from '../tlog/note.ts';
import { ReplyError } from './errors.ts';
import type { LogReceipt } from './log-proof.ts';
/** GET /.well-known/dta */
export interface Discovery {
  readonly identity: string; // the node's identity CID
  readonly identityDocument: string; // base64 of the signed identity document
  readonly http: readonly string[];
  readonly libp2p: readonly string[]; // multiaddrs with /p2p/<peer id>
  readonly plugins: readonly string[];
  readonly suites: Readonly<Record<string, string>>;
}

/** GET /v1/status */
export interface NodeStatus {
  readonly identity: string;
  readonly name: string;
  readonly version: string;
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
  readonly peers: readonly string[];
  readonly libp2p: readonly string[];
  readonly http: readonly string[];
  readonly uptime: number; // seconds
}

/** The reply to POST /v1/orders and POST /v1/orders/{id}/redeem, /check-in and /cancel. */
export interface StepReply {
  readonly order: string;
  readonly status: 'open' | 'redeemed' | 'cancelled';
  readonly cid: string; // the reply envelope's CID
  readonly envelope: string; // base64 of the reply envelope
  readonly replayed: boolean;
  /** The step's envelopes in the node's log (core/api/log-proof.ts checks it); absent from older nodes. */
  readonly log?: LogReceipt;
}

/** One envelope of GET /v1/orders/{id}'s history. */
export interface HistoryEntry {
  readonly cid: string;
  readonly type: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly created: number;
  readonly envelope: string; // base64
}

/** GET /v1/orders/{id} */
export interface OrderView {
  readonly order: {
    readonly id: string;
    readonly plugin: string;
    readonly principal: string;
    readonly beneficiary: string;
    readonly status: string;
    readonly head: string;
    readonly created: number;
  };
  readonly history: readonly HistoryEntry[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ReplyError(`${what}: expected an object`);
  return v as Obj;
}

function str(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ReplyError(`${what}.${key}: expected text`);
  return v;
}

function num(o: Obj, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ReplyError(`${what}.${key}: expected a number`);
  return v;
}

function strings(o: Obj, key: string, what: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw new ReplyError(`${what}.${key}: expected a list of text`);
  }
  return v as string[];
}

export function parseDiscovery(v: unknown): Discovery {
  const o = obj(v, 'discovery');
  if (o.type !== 'dta/discovery' || o.version !== 1) {
    throw new ReplyError('discovery: not a dta discovery document (type dta/discovery, version 1)');
  }
  const suites = obj(o.suites ?? {}, 'discovery.suites');
  return {
    identity: str(o, 'identity', 'discovery'),
    identityDocument: str(o, 'identityDocument', 'discovery'),
    http: strings(o, 'http', 'discovery'),
    libp2p: strings(o, 'libp2p', 'discovery'),
    plugins: strings(o, 'plugins', 'discovery'),
    suites: Object.fromEntries(Object.entries(suites).filter(([, s]) => typeof s === 'string')) as Record<
      string,
      string
    >,
  };
}

export function parseStatus(v: unknown): NodeStatus {
  const o = obj(v, 'status');
  const plugins = o.plugins;
  if (!Array.isArray(plugins)) throw new ReplyError('status.plugins: expected a list');
  return {
    identity: str(o, 'identity', 'status'),
    name: str(o, 'name', 'status'),
    version: str(o, 'version', 'status'),
    plugins: plugins.map((p, i) => {
      const po = obj(p, `status.plugins[${i}]`);
      return { name: str(po, 'name', 'status.plugin'), version: str(po, 'version', 'status.plugin') };
    }),
    peers: strings(o, 'peers', 'status'),
    libp2p: strings(o, 'libp2p', 'status'),
    http: strings(o, 'http', 'status'),
    uptime: num(o, 'uptime', 'status'),
  };
}

export function parseStepReply(v: unknown): StepReply {
  const o = obj(v, 'reply');
  const status = str(o, 'status', 'reply');
  if (status !== 'open' && status !== 'redeemed' && status !== 'cancelled') {
    throw new ReplyError('reply.status: expected open, redeemed or cancelled');
  }
  return {
    order: str(o, 'order', 'reply'),
    status,
    cid: str(o, 'cid', 'reply'),
    envelope: str(o, 'envelope', 'reply'),
    replayed: o.replayed === true,
    ...(o.log !== undefined ? { log: parseLogReceipt(o.log) } : {}),
  };
}

/** The `log` part of a step reply (shape only: log-proof.ts verifies it). */
function parseLogReceipt(v: unknown): LogReceipt {
  const o = obj(v, 'reply.log');
  if (!Array.isArray(o.entries)) throw new ReplyError('reply.log.entries: expected a list');
  return {
    checkpoint: str(o, 'checkpoint', 'reply.log'),
    entries: o.entries.map((e, i) => {
      const what = `reply.log.entries[${i}]`;
      const entry = obj(e, what);
      const index = num(entry, 'index', what);
      if (!Number.isSafeInteger(index) || index < 0) throw new ReplyError(`${what}.index: expected an index`);
      return { cid: str(entry, 'cid', what), index, proof: strings(entry, 'proof', what) };
    }),
  };
}

export function parseOrderView(v: unknown): OrderView {
  const o = obj(v, 'order view');
  const r = obj(o.order, 'order');
  if (!Array.isArray(o.history)) throw new ReplyError('order.history: expected a list');
  return {
    order: {
      id: str(r, 'id', 'order'),
      plugin: str(r, 'plugin', 'order'),
      principal: str(r, 'principal', 'order'),
      beneficiary: str(r, 'beneficiary', 'order'),
      status: str(r, 'status', 'order'),
      head: str(r, 'head', 'order'),
      created: num(r, 'created', 'order'),
    },
    history: o.history.map((h, i) => {
      const e = obj(h, `history[${i}]`);
      const what = `history[${i}]`;
      return {
        cid: str(e, 'cid', what),
        type: str(e, 'type', what),
        sender: str(e, 'sender', what),
        recipients: strings(e, 'recipients', what),
        created: num(e, 'created', what),
        envelope: str(e, 'envelope', what),
      };
    }),
  };
}

/** The size of a checkpoint note, read but not verified (to ask for proofs against it; log-proof.ts verifies). */
export function checkpointSize(note: string): number {
  try {
    return parseCheckpoint(parseNote(note).text).size;
  } catch (e) {
    throw new ReplyError(`log checkpoint: ${(e as Error).message}`);
  }
}

/** GET /v1/log/entries/{cid}?size=: the entry's index and inclusion proof (base64 hashes). */
export function parseLogProof(v: unknown): { readonly index: number; readonly proof: readonly string[] } {
  const o = obj(v, 'log entry');
  const index = num(o, 'index', 'log entry');
  if (!Number.isSafeInteger(index) || index < 0) throw new ReplyError('log entry.index: expected an index');
  return { index, proof: strings(o, 'proof', 'log entry') };
}

/** GET /v1/log/key: the node's log and, for a node whose identity does not bind it, the signed statement that does. */
export interface LogKeyReply {
  readonly origin: string;
  readonly key: string; // the signed-note verifier key
  readonly statement?: string; // base64 of the dta/log-key envelope
}

export function parseLogKey(v: unknown): LogKeyReply {
  const o = obj(v, 'log key');
  const statement = o.statement === undefined ? {} : { statement: str(o, 'statement', 'log key') };
  return { origin: str(o, 'origin', 'log key'), key: str(o, 'key', 'log key'), ...statement };
}

/** GET /v1/log/entries/{cid}: the entry's index and the latest checkpoint's size (the proof is not needed here). */
export interface LogEntryReply {
  readonly index: number;
  readonly size: number;
}

export function parseLogEntry(v: unknown): LogEntryReply {
  const o = obj(v, 'log entry');
  const index = num(o, 'index', 'log entry');
  const size = num(o, 'size', 'log entry');
  if (!Number.isSafeInteger(index) || index < 0 || !Number.isSafeInteger(size) || size < 0) {
    throw new ReplyError('log entry: index and size must be whole numbers');
  }
  return { index, size };
}

/** One anchor of GET /v1/anchors, as far as a client reads it; the proof is checked by src/core/anchor/. */
export interface AnchorView {
  readonly status: string;
  readonly txid?: string;
  readonly proof?: unknown;
}

/** GET /v1/anchors: the Birth Record's anchor (null until there is one) and the checkpoints'. */
export interface AnchorsReply {
  readonly birth: AnchorView | null;
  readonly checkpoints: readonly AnchorView[];
}

function anchorView(v: unknown, what: string): AnchorView {
  const o = obj(v, what);
  return {
    status: str(o, 'status', what),
    ...(typeof o.txid === 'string' ? { txid: o.txid } : {}),
    ...(o.proof !== undefined ? { proof: o.proof } : {}),
  };
}

export function parseAnchors(v: unknown): AnchorsReply {
  const o = obj(v, 'anchors');
  if (!Array.isArray(o.checkpoints)) throw new ReplyError('anchors.checkpoints: expected a list');
  return {
    birth: o.birth === null || o.birth === undefined ? null : anchorView(o.birth, 'anchors.birth'),
    checkpoints: o.checkpoints.map((c, i) => anchorView(c, `anchors.checkpoints[${i}]`)),
  };
}

/** POST /v1/identities: the registered identity's CID. */
export function parseRegistered(v: unknown): { readonly cid: string } {
  return { cid: str(obj(v, 'registration'), 'cid', 'registration') };
}

/** Bytes of a base64 field of a reply. */
export function replyBytes(b64: string, what: string): Uint8Array {
  try {
    return fromBase64(b64, what);
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
}

/** A CID field of a reply. */
export function replyCid(text: string, what: string): CID {
  try {
    return CID.parse(text);
  } catch {
    throw new ReplyError(`${what}: not a CID`);
  }
}
