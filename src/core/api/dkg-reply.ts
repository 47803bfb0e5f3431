/**
 * The step reply of the node's DKG routes (docs/protocol.md "DKG carried by nodes"), parsed strictly: a
 * reply of the wrong shape is a ReplyError. The envelopes in it are the node's claims; the other nodes'
 * engines check them.
 * @module
 */
import { ABORT_REASONS, type AbortReason } from '../dkg/errors.ts';
import { ReplyError } from './errors.ts';
import { replyBytes } from './replies.ts';

export type DkgPhase = 'round1' | 'round2' | 'done' | 'aborted';

export interface DkgStepReply {
  readonly phase: DkgPhase;
  /** The node's 1-based share index. */
  readonly index: number;
  /** The envelope the node sent last (round 1, round 2, or its abort notice); null when none is due. */
  readonly outgoing: Uint8Array | null;
  readonly groupKey?: Uint8Array;
  readonly commitments?: Uint8Array[];
  readonly reason?: AbortReason;
  readonly nodes?: number[];
  readonly detail?: string;
}

const PHASES: readonly string[] = ['round1', 'round2', 'done', 'aborted'];

function fail(what: string): never {
  throw new ReplyError(`dkg step reply: ${what}`);
}

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 255;

/** The parts of an aborted or done reply, when present and well formed. */
function extras(r: Record<string, unknown>) {
  const out: { -readonly [K in keyof DkgStepReply]?: DkgStepReply[K] } = {};
  if (r.groupKey !== undefined) out.groupKey = replyBytes(r.groupKey as string, 'groupKey');
  if (r.commitments !== undefined) {
    if (!Array.isArray(r.commitments)) fail('commitments is not a list');
    out.commitments = r.commitments.map((c, k) => replyBytes(c as string, `commitments[${k}]`));
  }
  if (r.reason !== undefined) {
    if (!(ABORT_REASONS as readonly unknown[]).includes(r.reason)) fail('unknown abort reason');
    out.reason = r.reason as AbortReason;
  }
  if (r.nodes !== undefined) {
    if (!Array.isArray(r.nodes) || !r.nodes.every(isIndex)) fail('nodes is not a list of node indices');
    out.nodes = [...(r.nodes as number[])];
  }
  if (r.detail !== undefined) {
    if (typeof r.detail !== 'string') fail('detail is not text');
    out.detail = r.detail;
  }
  return out;
}

export function parseDkgStepReply(json: unknown): DkgStepReply {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('not an object');
  const r = json as Record<string, unknown>;
  if (typeof r.phase !== 'string' || !PHASES.includes(r.phase)) fail('unknown phase');
  if (!isIndex(r.index)) fail('index is not a node index');
  if (r.outgoing !== null && typeof r.outgoing !== 'string') fail('outgoing is neither base64 nor null');
  const outgoing = r.outgoing === null ? null : replyBytes(r.outgoing, 'outgoing');
  const reply = { phase: r.phase as DkgPhase, index: r.index, outgoing, ...extras(r) };
  if (reply.phase === 'done' && (!reply.groupKey || !reply.commitments)) fail('done without its group key');
  if (reply.phase === 'aborted' && !reply.reason) fail('aborted without a reason');
  return reply;
}
