/**
 * At start, the log takes in what the node holds but has not logged: every registered identity and every
 * envelope of every stored order (a home made before logs, or a step committed by a node killed before its
 * log append). Idempotent: what the log has is skipped, so a second start appends nothing.
 * @module
 */
import { CID } from 'multiformats/cid';
import { logEntry } from '../../core/protocol/log-entry.ts';
import type { NodeLog } from './types.ts';

/** Where the node's logged things live. */
export interface BackfillSources {
  /** Registered identity CIDs. */
  identities(): Promise<readonly CID[]>;
  /** Every stored envelope (only the CID is read). */
  envelopes(): AsyncIterable<{ readonly cid: string }>;
}

/** Entries appended per batch (one fsync and one signature each). */
const BATCH = 1024;

/** Appends what the log lacks; the number of entries appended. */
export async function backfillLog(log: NodeLog, sources: BackfillSources): Promise<number> {
  const missing: Uint8Array[] = [];
  for (const cid of await sources.identities()) {
    if ((await log.indexOf(cid)) === undefined) missing.push(logEntry('identity', cid));
  }
  for await (const { cid } of sources.envelopes()) {
    if ((await log.indexOf(cid)) === undefined) missing.push(logEntry('envelope', CID.parse(cid)));
  }
  for (let at = 0; at < missing.length; at += BATCH) await log.append(missing.slice(at, at + BATCH));
  return missing.length;
}
