/**
 * Where the node keeps each DKG it takes part in: one file per session under `<home>/dkg/`, holding the
 * engine's participant state (src/core/dkg/participant.ts) and what the node needs to resume it after a
 * restart. The state holds secrets (f_i(i) in round 1, the share after), so every file is sealed with
 * AES-256-GCM under a 32-byte key the keystore holds (`node/dkg-state`), with the session id as associated
 * data (a file cannot be moved to another session). Unlike a keystore entry a record changes as the DKG
 * moves on and loses its secret when it aborts or its share is removed, so it is replaced as a whole:
 * written to a temporary file, fsynced, renamed over the old one, the directory fsynced (fsutil.ts). A
 * kill -9 leaves either the old record or the new one, never a mix, and the node sends nothing before the
 * new one is on disk (runner.ts).
 * @module
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import type { ParticipantState } from '../../core/dkg/participant.ts';
import { decodeStrict, encode } from '../../core/protocol/cbor.ts';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';
import { KeyExistsError, KeystoreCorruptError } from '../keystore/errors.ts';
import type { Keystore } from '../keystore/types.ts';

const KEY_NAME = 'node/dkg-state';
const MAGIC = 0x01;
const NONCE = 12;
const TAG = 16;
const AAD = 'dta/dkg-state/v1\0';
const SUFFIX = '.state';
/** Room for the largest record: n ≤ 255 identity documents of ≤ 16 KiB and a round-1 envelope. */
const MAX_RECORD_BYTES = 8 << 20;

/** A finished DKG whose share the node deleted (moved by resharing, or its order is gone): public parts only. */
export interface RemovedState {
  readonly phase: 'removed';
  readonly session: Uint8Array;
  readonly index: number;
  readonly transcript: Uint8Array;
  readonly groupKey: Uint8Array;
  readonly commitments: Uint8Array[];
}

export type StoredState = ParticipantState | RemovedState;

export interface DkgRecord {
  readonly version: 1;
  /** The identity that started the session at this node. */
  readonly requester: CID;
  /** The identity documents of the session's nodes, as the requester handed them (verified at start). */
  readonly identities: Uint8Array[];
  /** When this node started the session (its clock, ms): the timeout counts from here. */
  readonly started: number;
  readonly state: StoredState;
  /** The last envelope this node sent (round 1, round 2 or its abort notice), sent again on a replayed input. */
  readonly outgoing: Uint8Array | null;
}

export class DkgStateStore {
  readonly dir: string;
  #key: KeyObject | undefined;

  private constructor(dir: string, key: KeyObject) {
    this.dir = dir;
    this.#key = key;
  }

  /** Opens (or creates) the store in `dir`, its sealing key in `keystore` (made on first use). */
  static async open(dir: string, keystore: Keystore): Promise<DkgStateStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    return new DkgStateStore(dir, await sealingKey(keystore));
  }

  #file(session: CID): string {
    return join(this.dir, `${session.toString()}${SUFFIX}`);
  }

  #aad(session: CID): Uint8Array {
    return new TextEncoder().encode(AAD + session.toString());
  }

  #open(): KeyObject {
    if (!this.#key) throw new Error('dkg state store: closed');
    return this.#key;
  }

  /** The record of `session`, or undefined when this node never started it. */
  async read(session: CID): Promise<DkgRecord | undefined> {
    const sealed = await readIfExists(this.#file(session));
    if (!sealed) return undefined;
    const plain = unseal(this.#open(), this.#aad(session), sealed);
    if (!plain) throw new KeystoreCorruptError(`dkg state of ${session.toString()} does not decrypt (damaged file)`);
    try {
      return decodeStrict(plain, MAX_RECORD_BYTES) as DkgRecord;
    } finally {
      plain.fill(0);
    }
  }

  /** Replaces the record of `session`; durable when the promise resolves. */
  async write(session: CID, record: DkgRecord): Promise<void> {
    const plain = encode(record, MAX_RECORD_BYTES);
    try {
      await writeDurable(this.#file(session), seal(this.#open(), this.#aad(session), plain));
    } finally {
      plain.fill(0);
    }
  }

  /** Every session this node has a record of. */
  async sessions(): Promise<CID[]> {
    const names = await readdir(this.dir);
    return names.filter((n) => n.endsWith(SUFFIX)).map((n) => CID.parse(n.slice(0, -SUFFIX.length)));
  }

  close(): void {
    this.#key = undefined;
  }
}

/** The store's sealing key: read from the keystore, or drawn and stored once (a racing writer's wins). */
async function sealingKey(keystore: Keystore): Promise<KeyObject> {
  let raw = await keystore.get(KEY_NAME);
  if (!raw) {
    const fresh = randomBytes(32);
    try {
      await keystore.put(KEY_NAME, fresh);
    } catch (e) {
      if (!(e instanceof KeyExistsError)) throw e;
    } finally {
      fresh.fill(0);
    }
    raw = await keystore.get(KEY_NAME);
    if (!raw) throw new KeystoreCorruptError(`keystore: "${KEY_NAME}" was not stored`);
  }
  const key = createSecretKey(raw);
  raw.fill(0);
  return key;
}

function seal(key: KeyObject, aad: Uint8Array, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([Buffer.of(MAGIC), nonce, body, c.getAuthTag()]);
}

function unseal(key: KeyObject, aad: Uint8Array, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < 1 + NONCE + TAG || sealed[0] !== MAGIC) return undefined;
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(1 + NONCE, sealed.length - TAG)), d.final()]);
  } catch {
    return undefined;
  }
}
