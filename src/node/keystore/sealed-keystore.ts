/**
 * A keystore made of two halves (keystore/types.ts): a SecretSealer that
 * holds the key-encryption key and a SealedRecords store that holds the
 * sealed bytes. The rules of a Keystore live here once, whatever the
 * halves are: names are checked, a name once written is never replaced
 * (`create` refuses, and a `put` of the same bytes again is a no-op while
 * other bytes throw KeyExistsError), and plaintexts read for a comparison
 * are wiped.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { KeyExistsError } from './errors.ts';
import type { Keystore, SealedRecords, SecretSealer } from './types.ts';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$/;

function assertName(name: string): void {
  if (!NAME_RE.test(name) || name.includes('..')) throw new TypeError(`keystore: bad secret name "${name}"`);
}

export class SealedKeystore implements Keystore {
  readonly kind: string;
  readonly #sealer: SecretSealer;
  readonly #records: SealedRecords;

  constructor(sealer: SecretSealer, records: SealedRecords) {
    this.kind = sealer.kind;
    this.#sealer = sealer;
    this.#records = records;
  }

  async put(name: string, secret: Uint8Array): Promise<void> {
    assertName(name);
    if (await this.#records.create(name, await this.#sealer.seal(name, secret))) return;
    // The name exists: a retry with the same bytes is fine, anything else would replace a committed secret.
    const existing = await this.get(name);
    const same = existing !== undefined && existing.length === secret.length && timingSafeEqual(existing, secret);
    existing?.fill(0);
    if (!same) throw new KeyExistsError(name);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    assertName(name);
    const sealed = await this.#records.read(name);
    return sealed === undefined ? undefined : this.#sealer.open(name, sealed);
  }

  async has(name: string): Promise<boolean> {
    assertName(name);
    return (await this.#records.read(name)) !== undefined;
  }

  list(prefix: string): Promise<string[]> {
    return this.#records.list(prefix);
  }

  /** Deleting is explicit and final (a moved share), never a silent replacement. */
  async delete(name: string): Promise<void> {
    assertName(name);
    await this.#records.remove(name);
  }

  async close(): Promise<void> {
    try {
      await this.#sealer.close();
    } finally {
      await this.#records.close();
    }
  }
}
