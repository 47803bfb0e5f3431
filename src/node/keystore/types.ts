/**
 * Where a node keeps its secrets: its identity keys and every secret a
 * plugin commits to (generated keys, deposited secrets). A keystore is a
 * plugin of its own: the encrypted file keystore is the default
 * (file-keystore.ts); PKCS#11 (SoftHSM2 or a real HSM) can sit behind the
 * same interface.
 *
 * Rules every implementation keeps: a `put` has reached the disk (or the
 * token) before its promise resolves; a name once written is never
 * silently replaced (`put` of an existing name with other bytes throws
 * KeyExistsError) so a node never re-generates a secret it committed to;
 * secrets never appear in logs or error messages.
 * @module
 */
export interface Keystore {
  readonly kind: string; // "file", "pkcs11", ...
  /** Stores `secret` under `name` (e.g. "identity/bls", "bitcoin/<order>"); idempotent for identical bytes. */
  put(name: string, secret: Uint8Array): Promise<void>;
  /** The secret, or undefined when there is none under that name. */
  get(name: string): Promise<Uint8Array | undefined>;
  has(name: string): Promise<boolean>;
  /** Names under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes `name` for good, on disk before it resolves; nothing when absent. (Optional for compatibility.) */
  delete?(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A keystore seen through a name prefix, so a plugin only reaches its own secrets. */
export interface ScopedKeystore {
  put(name: string, secret: Uint8Array): Promise<void>;
  get(name: string): Promise<Uint8Array | undefined>;
  has(name: string): Promise<boolean>;
  /** Names under a prefix inside the scope (without the scope's prefix), sorted. (Optional for compatibility.) */
  list?(prefix: string): Promise<string[]>;
  /** Removes `name` for good (a share moved by resharing); nothing when absent. (Optional for compatibility.) */
  delete?(name: string): Promise<void>;
}
