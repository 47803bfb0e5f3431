/**
 * The node's anchors on disk: one JSON file per anchor under
 * `<home>/anchors/` (`birth.json`, `checkpoint-<size>.json`), each replaced
 * whole with a durable write (temporary file, fsync, rename, fsync of the
 * directory) at every change of state, so kill -9 leaves either the old
 * state or the new one.
 *
 * An anchor goes pending → signed → broadcast → confirmed. The signed
 * transaction is written before it is broadcast: after a crash the node
 * broadcasts the same bytes again, and never builds a second, different
 * transaction for a record that already has one.
 *
 * Operators hand in a transaction for a PSBT-mode anchor by writing it to
 * `<home>/anchors/submitted/<id>.tx` (`dta anchor submit`); the running node
 * is the only writer of the records and picks the file up on its next round.
 * @module
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createDurable, readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';

export type AnchorKind = 'birth' | 'checkpoint';
export type AnchorState = 'pending' | 'signed' | 'broadcast' | 'confirmed';

/** Where a confirmed anchor sits: the block's height and its header's time (Unix seconds). */
export interface AnchoredAt {
  readonly height: number;
  readonly time: number;
}

export interface AnchorRecord {
  readonly version: 1;
  /** `birth` or `checkpoint-<size>`: also the file name. */
  readonly id: string;
  readonly kind: AnchorKind;
  /** What is anchored: the Birth Record's DAG-CBOR in base64, or the checkpoint's signed note. */
  readonly subject: string;
  /** SHA-256 committed in the OP_RETURN (hex): of the Birth Record, or of the checkpoint's body. */
  readonly hash: string;
  /** The OP_RETURN payload (hex). */
  readonly payload: string;
  readonly state: AnchorState;
  /** When the record was made (ms since the epoch). */
  readonly created: number;
  /** PSBT mode: the unsigned transaction for the operator (base64), when the node could build one. */
  readonly psbt?: string;
  readonly txid?: string;
  readonly txHex?: string;
  /** The SPV proof (core/anchor's AnchorProof), checked before it was stored. */
  readonly proof?: unknown;
  readonly anchored?: AnchoredAt;
  /** What stopped the last round, for `dta anchor status` and /v1/anchors (no secret ever goes here). */
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
}

const ID = /^(birth|checkpoint-\d{1,15})$/;

export class AnchorStore {
  readonly dir: string;
  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string): Promise<AnchorStore> {
    await mkdir(join(dir, 'submitted'), { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    await sweepTemps(join(dir, 'submitted'));
    return new AnchorStore(dir);
  }

  /** Opens the directory for reading only (the CLI beside a running node): creates nothing. */
  static reader(dir: string): AnchorStore {
    return new AnchorStore(dir);
  }

  async get(id: string): Promise<AnchorRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const bytes = await readIfExists(join(this.dir, `${id}.json`));
    return bytes ? (JSON.parse(bytes.toString('utf8')) as AnchorRecord) : undefined;
  }

  /** Every record, birth first, then checkpoints by size. */
  async list(): Promise<AnchorRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
    const records = await Promise.all(ids.filter((id) => ID.test(id)).map((id) => this.get(id)));
    return records.filter((r) => r !== undefined).sort((a, b) => orderOf(a) - orderOf(b));
  }

  async put(record: AnchorRecord): Promise<void> {
    if (!ID.test(record.id)) throw new Error(`anchors: bad record id ${record.id}`);
    await writeDurable(join(this.dir, `${record.id}.json`), JSON.stringify(record), 0o644);
  }

  /** Records an operator's transaction for `id`; false when one was already handed in. */
  async submit(id: string, text: string): Promise<boolean> {
    if (!ID.test(id)) throw new Error(`anchors: bad record id ${id}`);
    return createDurable(join(this.dir, 'submitted', `${id}.tx`), new TextEncoder().encode(text.trim()), 0o600);
  }

  async submitted(id: string): Promise<string | undefined> {
    return (await readIfExists(join(this.dir, 'submitted', `${id}.tx`)))?.toString('utf8');
  }

  /** Drops a submission the node refused, so the operator can hand in another. */
  async discardSubmission(id: string): Promise<void> {
    await rm(join(this.dir, 'submitted', `${id}.tx`), { force: true });
  }
}

/** The id of the anchor of the checkpoint of `size` entries. */
export const checkpointId = (size: number): string => `checkpoint-${size}`;

function orderOf(r: AnchorRecord): number {
  return r.kind === 'birth' ? -1 : Number(r.id.slice('checkpoint-'.length));
}
