/**
 * What this device saw of each node's log, kept in the flows database: the last checkpoint that verified
 * (signed note, size, root), keyed by the node's identity CID so that a node answering at another URL, or
 * restarted over another home under the same identity, is held to what it showed before; and the evidence of
 * each failed audit (JSON, kept until the person removes the node's records). A checkpoint is written only
 * after it verified (signature and consistency with the one before it), in one transaction that re-reads the
 * stored one, so that two audits at once never go back to an older checkpoint.
 * @module
 */
import type { FlowsDeps } from '../api/deps.ts';

export interface SeenCheckpoint {
  /** The node's identity CID: the key. */
  readonly node: string;
  readonly origin: string;
  readonly size: number;
  /** The tree's root hash, base64. */
  readonly root: string;
  /** The signed note as the node served it (with the cosignatures it carried). */
  readonly note: string;
  /** When this device saw it (ms since the epoch). */
  readonly at: number;
}

export interface AuditEvidenceRecord {
  readonly node: string;
  readonly at: number;
  /** A sentence a person understands: what failed. */
  readonly summary: string;
  /** The JSON a third party can check: the notes, proofs and headers. */
  readonly json: string;
}

export async function lastSeen(deps: FlowsDeps, node: string): Promise<SeenCheckpoint | undefined> {
  return (await deps.db()).get('checkpoints', node);
}

/** Keeps `next` unless a checkpoint of the same log at least as large was stored meanwhile. */
export async function rememberCheckpoint(deps: FlowsDeps, next: SeenCheckpoint): Promise<SeenCheckpoint> {
  const db = await deps.db();
  const tx = db.transaction('checkpoints', 'readwrite');
  const current = await tx.store.get(next.node);
  const keep = current && current.origin === next.origin && current.size >= next.size ? current : next;
  if (keep === next) await tx.store.put(next);
  await tx.done;
  return keep;
}

export async function keepEvidence(deps: FlowsDeps, record: AuditEvidenceRecord): Promise<void> {
  await (await deps.db()).put('evidence', record);
}

/** The evidence kept for a node, newest first. */
export async function evidenceOf(deps: FlowsDeps, node: string): Promise<AuditEvidenceRecord[]> {
  const all = await (await deps.db()).getAllFromIndex('evidence', 'node', node);
  return all.sort((a, b) => b.at - a.at);
}
