/**
 * The sealer's meta document as `<home>/keystore/meta.json`, written once
 * (create-if-absent, durable) and never replaced. Its presence is what
 * makes a directory a keystore.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createDurable, readIfExists } from '../fsutil.ts';
import { KeystoreCorruptError } from './errors.ts';
import type { KeystoreMeta } from './types.ts';

export class FileKeystoreMeta implements KeystoreMeta {
  readonly #file: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.#file = join(dir, 'meta.json');
  }

  async read(): Promise<Record<string, unknown> | undefined> {
    const text = await readIfExists(this.#file);
    if (!text) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(text.toString('utf8'));
    } catch {
      throw new KeystoreCorruptError('keystore: meta.json is not valid JSON');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new KeystoreCorruptError('keystore: meta.json is not a JSON object');
    return doc as Record<string, unknown>;
  }

  async create(doc: Record<string, unknown>): Promise<boolean> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    return createDurable(this.#file, new TextEncoder().encode(JSON.stringify(doc, null, 2)));
  }
}
