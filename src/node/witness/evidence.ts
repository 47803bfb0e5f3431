/**
 * Evidence of a log's misbehaviour, kept by its witness: the checkpoint the
 * witness had cosigned and a checkpoint the log signed that contradicts it
 * (same size, another root: a fork; or a consistency proof from the
 * cosigned one that does not verify). Both notes carry the log's signature,
 * so anyone holding the log's key can check the record without trusting the
 * witness. One file per record, created atomically and fsynced, named by
 * the hash of the offending note (the same note shown twice is one record).
 * @module
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBase64 } from '../../core/bytes.ts';
import { createDurable, sweepTemps } from '../fsutil.ts';
import type { CosignedCheckpoint } from './state.ts';

export type EvidenceKind = 'fork' | 'inconsistent';

/** One record as kept and served (JSON: roots and proof hashes in base64). */
export interface EvidenceRecord {
  readonly kind: EvidenceKind;
  readonly origin: string;
  /** When the witness was shown the contradicting checkpoint (Unix seconds). */
  readonly time: number;
  /** The checkpoint this witness had cosigned. */
  readonly cosigned: { readonly size: number; readonly root: string; readonly note: string };
  /** The contradicting checkpoint, signed by the same log, with the request's old size and proof. */
  readonly offered: {
    readonly size: number;
    readonly root: string;
    readonly note: string;
    readonly oldSize: number;
    readonly proof: readonly string[];
  };
}

/**
 * Records kept at most: the first ones are what matters; past it, new records are dropped rather than the disk
 * filled (an `inconsistent` record needs only a public checkpoint and a wrong proof, so anyone can make one).
 */
const MAX_RECORDS = 256;

export class EvidenceStore {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<EvidenceStore> {
    await sweepTemps(dir);
    return new EvidenceStore(dir);
  }

  /** Keeps a record; durable when the promise resolves. */
  async record(
    kind: EvidenceKind,
    cosigned: CosignedCheckpoint,
    offered: { size: number; root: Uint8Array; note: string; oldSize: number; proof: readonly Uint8Array[] },
    time: number,
  ): Promise<EvidenceRecord> {
    const record: EvidenceRecord = {
      kind,
      origin: cosigned.origin,
      time,
      cosigned: { size: cosigned.size, root: toBase64(cosigned.root), note: cosigned.note },
      offered: { ...offered, root: toBase64(offered.root), proof: offered.proof.map(toBase64) },
    };
    if ((await this.#names()).length >= MAX_RECORDS) return record;
    const digest = createHash('sha256').update(offered.note).digest('hex');
    await createDurable(join(this.#dir, `${kind}-${digest}.json`), new TextEncoder().encode(JSON.stringify(record)));
    return record;
  }

  /** The records kept, oldest first. */
  async list(): Promise<EvidenceRecord[]> {
    const read = async (n: string) => JSON.parse(await readFile(join(this.#dir, n), 'utf8')) as EvidenceRecord;
    const records = await Promise.all((await this.#names()).map(read));
    return records.sort((a, b) => a.time - b.time);
  }

  async #names(): Promise<string[]> {
    try {
      return (await readdir(this.#dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
