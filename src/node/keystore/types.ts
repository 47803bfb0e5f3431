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

/**
 * The half of a keystore that holds the key-encryption key (KEK): it seals
 * one secret and opens it again. The secret's name is bound in as
 * associated data, so a sealed record moved to another name does not open.
 * Implementations: the passphrase sealer (scrypt KEK in memory,
 * passphrase-sealer.ts) and the PKCS#11 sealer (the KEK never leaves the
 * token, pkcs11-sealer.ts).
 */
export interface SecretSealer {
  readonly kind: string; // "file" (passphrase), "pkcs11", ...
  /** The sealed form of `secret` under `name` (self-describing: format byte, nonce, ciphertext, tag). */
  seal(name: string, secret: Uint8Array): Promise<Uint8Array>;
  /** The plaintext; KeystoreCorruptError naming the record when it does not open under this KEK and name. */
  open(name: string, sealed: Uint8Array): Promise<Uint8Array>;
  /** Forgets the KEK (or logs out of the token); later calls fail. */
  close(): Promise<void>;
}

/**
 * The other half: where sealed bytes live, by name (files under
 * `<home>/keystore/`, or rows in PostgreSQL). It never sees a plaintext.
 * `create` has reached durable storage before it resolves and never
 * replaces: it returns false when the name already exists, so two writers
 * can never both win.
 */
export interface SealedRecords {
  /** Stores `sealed` under `name` unless the name exists; false when it does (nothing written). */
  create(name: string, sealed: Uint8Array): Promise<boolean>;
  /** The sealed bytes, or undefined when there is no record under that name. */
  read(name: string): Promise<Uint8Array | undefined>;
  /** Names under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes `name` for good (durably before it resolves); nothing when absent. */
  remove(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One small JSON document a sealer keeps beside the records: the scrypt
 * salt and check value of the passphrase sealer, or the token and key
 * labels of the PKCS#11 sealer. `meta.json` in a file home; a row in
 * PostgreSQL, so replicas share it. Written once, never replaced.
 */
export interface KeystoreMeta {
  /** The document, or undefined when none was written yet. */
  read(): Promise<Record<string, unknown> | undefined>;
  /** Writes the document durably unless one exists; false when it does (nothing written). */
  create(doc: Record<string, unknown>): Promise<boolean>;
}
