/**
 * The keystore records of one replica: every secret in PostgreSQL, shared,
 * except the replica's own libp2p key, kept sealed (under the same
 * key-encryption key) in the replica's home, `<home>/keystore/`. Replicas
 * share one identity but each is a libp2p peer of its own: two processes
 * on one peer id would confuse every peer that meets both.
 * @module
 */
import type { SealedRecords } from '../../keystore/types.ts';

export class ReplicaRecords implements SealedRecords {
  readonly #shared: SealedRecords;
  readonly #local: SealedRecords;
  readonly #isLocal: (name: string) => boolean;

  constructor(shared: SealedRecords, local: SealedRecords, isLocal: (name: string) => boolean) {
    this.#shared = shared;
    this.#local = local;
    this.#isLocal = isLocal;
  }

  #of(name: string): SealedRecords {
    return this.#isLocal(name) ? this.#local : this.#shared;
  }

  create(name: string, sealed: Uint8Array): Promise<boolean> {
    return this.#of(name).create(name, sealed);
  }

  read(name: string): Promise<Uint8Array | undefined> {
    return this.#of(name).read(name);
  }

  async list(prefix: string): Promise<string[]> {
    const local = (await this.#local.list(prefix)).filter(this.#isLocal);
    const shared = (await this.#shared.list(prefix)).filter((n) => !this.#isLocal(n));
    return [...local, ...shared].sort();
  }

  remove(name: string): Promise<void> {
    return this.#of(name).remove(name);
  }

  async close(): Promise<void> {
    await this.#local.close();
    await this.#shared.close();
  }
}
