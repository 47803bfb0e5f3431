/**
 * Registered identity documents as files, `<home>/identities/<cid>.cbor`
 * (backend.ts IdentityDocuments): created durably with a hard link that
 * fails if the name exists, so a document is never replaced.
 * @module
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { createDurable, readIfExists } from '../../fsutil.ts';
import type { IdentityDocuments } from '../backend.ts';

export class FileIdentityDocuments implements IdentityDocuments {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<FileIdentityDocuments> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FileIdentityDocuments(dir);
  }

  #file(cid: CID): string {
    return join(this.#dir, `${cid.toString()}.cbor`);
  }

  create(cid: CID, bytes: Uint8Array): Promise<boolean> {
    return createDurable(this.#file(cid), bytes, 0o644);
  }

  async get(cid: CID): Promise<Uint8Array | undefined> {
    const bytes = await readIfExists(this.#file(cid));
    return bytes ? new Uint8Array(bytes) : undefined;
  }

  async list(): Promise<CID[]> {
    const names = (await readdir(this.#dir)).filter((n) => n.endsWith('.cbor')).sort();
    return names.flatMap((n) => {
      try {
        return [CID.parse(n.slice(0, -'.cbor'.length))];
      } catch {
        return [];
      }
    });
  }
}
