/**
 * The step reply every DKG route answers with: where this node is in the session and the envelope it last
 * sent, which the relay hands the other nodes (docs/protocol.md "DKG carried by nodes"). Public parts only:
 * never the share, never f_i(i).
 * @module
 */
import { toBase64 } from '../../core/bytes.ts';
import type { DkgRecord } from './state-store.ts';

export interface DkgStepReply {
  readonly phase: 'round1' | 'round2' | 'done' | 'aborted';
  /** This node's 1-based share index. */
  readonly index: number;
  /** The round-1 or round-2 envelope, or the abort notice, this node sent last (base64); null when none is due. */
  readonly outgoing: string | null;
  readonly groupKey?: string;
  readonly commitments?: string[];
  readonly reason?: string;
  readonly nodes?: number[];
  readonly detail?: string;
}

export function stepReplyOf(record: DkgRecord): DkgStepReply {
  const state = record.state;
  const outgoing = record.outgoing === null ? null : toBase64(record.outgoing);
  const common = { index: state.index, outgoing };
  switch (state.phase) {
    case 'round1':
    case 'round2':
      return { phase: state.phase, ...common };
    case 'done':
      return {
        phase: 'done',
        ...common,
        groupKey: toBase64(state.groupKey),
        commitments: state.commitments.map(toBase64),
      };
    case 'removed':
      return {
        phase: 'done',
        ...common,
        groupKey: toBase64(state.groupKey),
        commitments: state.commitments.map(toBase64),
        detail: "this node's share was removed (moved by resharing, or its order is gone)",
      };
    case 'aborted':
      return { phase: 'aborted', ...common, reason: state.reason, nodes: [...state.nodes], detail: state.detail };
  }
}

/** The step reply as JSON Schema, for the routes' responses and /openapi.json. */
export const stepReplySchema = {
  type: 'object',
  required: ['phase', 'index', 'outgoing'],
  properties: {
    phase: { type: 'string', enum: ['round1', 'round2', 'done', 'aborted'] },
    index: { type: 'integer', description: "this node's 1-based share index" },
    outgoing: {
      type: ['string', 'null'],
      contentEncoding: 'base64',
      description: 'the envelope this node sent last (round 1, round 2 or its abort notice); null when none is due',
    },
    groupKey: { type: 'string', contentEncoding: 'base64', description: 'done: the group key (compressed point)' },
    commitments: {
      type: 'array',
      items: { type: 'string', contentEncoding: 'base64' },
      description: "done: the group's Feldman commitments, the first being the group key",
    },
    reason: { type: 'string', description: 'aborted: the stable reason (docs/protocol.md)' },
    nodes: { type: 'array', items: { type: 'integer' }, description: 'aborted: the 1-based indices it blames' },
    detail: { type: 'string' },
  },
} as const;
