/**
 * Sealed records as files: one file per secret under `<home>/keystore/`,
 * named by the hex of the secret's name (safe on case-insensitive file
 * systems). A new record is written to a temporary file, fsynced and
 * hard-linked to its final name, which fails atomically if the name exists
 * (fsutil.createDurable), so two writers can never both win, a committed
 * record is never replaced and kill -9 never leaves half a record.
 * @module
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createDurable, readIfExists, removeDurable, sweepTemps } from '../fsutil.ts';
import type { SealedRecords } from './types.ts';

const RECORD_FILE = /^[0-9a-f]+\.key$/;

export class FileRecords implements SealedRecords {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** The records in `dir` (created 0700 if missing); temporary files a crash left behind are removed. */
  static async open(dir: string): Promise<FileRecords> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    return new FileRecords(dir);
  }

  #file(name: string): string {
    return join(this.dir, `${Buffer.from(name, 'utf8').toString('hex')}.key`);
  }

  create(name: string, sealed: Uint8Array): Promise<boolean> {
    return createDurable(this.#file(name), sealed);
  }

  read(name: string): Promise<Uint8Array | undefined> {
    return readIfExists(this.#file(name));
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for (const file of await readdir(this.dir)) {
      if (!RECORD_FILE.test(file)) continue;
      const name = Buffer.from(file.slice(0, -4), 'hex').toString('utf8');
      if (name.startsWith(prefix)) names.push(name);
    }
    return names.sort();
  }

  /** The file is zeroed and fsynced, then unlinked: a moved secret is gone from the disk once this resolves. */
  remove(name: string): Promise<void> {
    return removeDurable(this.#file(name));
  }

  async close(): Promise<void> {}
}
