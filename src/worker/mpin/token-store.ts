/**
 * M-Pin PIN tokens, kept by the app worker in an IndexedDB database of their own ("dta-mpin"), never by the
 * page. Each token is sealed with AES-256-GCM under a key derived from its identity's secret keys, so it is
 * readable only while that identity is unlocked in this worker: the token has the identity's protection (device
 * key or passkey) without the vault's own records changing. The associated data names the owner and the
 * registration, so a sealed token moved to another record or identity does not open. Records hold no secret in
 * the clear; removing an identity removes its tokens (api/index.ts).
 * @module
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { concat, randomBytes, utf8, wipe } from '../../core/bytes.ts';
import { aes256gcm, NONCE_BYTES } from '../../core/crypto/aead.ts';
import { hkdf } from '../../core/crypto/kdf.ts';
import type { Session } from '../vault/vault.ts';

const DB_NAME = 'dta-mpin';

interface SealedToken {
  /** The registration's id (the page's record of it in dta-flows has the same id). */
  readonly id: string;
  /** The identity CID whose keys seal it. */
  readonly owner: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

interface TokenSchema extends DBSchema {
  tokens: { key: string; value: SealedToken; indexes: { owner: string } };
}

/** The sealing key of `session`'s tokens; the caller wipes it. */
function tokenKey(session: Session): Uint8Array {
  const ikm = concat(session.secrets.bls, session.secrets.xwing);
  try {
    return hkdf(ikm, utf8('dta/mpin/token/v1'), utf8('token seal'), 32);
  } finally {
    wipe(ikm);
  }
}

const aadOf = (owner: string, id: string) => utf8(`dta mpin token\n${owner}\n${id}`);

export interface TokenStore {
  /** Seals `token` under the unlocked identity and keeps it as registration `id` (replacing one of that id). */
  put(session: Session, id: string, token: Uint8Array): Promise<void>;
  /** The token of registration `id`, opened with the unlocked identity; the caller wipes it. Undefined if none. */
  open(session: Session, id: string): Promise<Uint8Array | undefined>;
  /** Deletes registration `id`'s token, if it belongs to `owner`. */
  delete(owner: string, id: string): Promise<void>;
  /** Deletes every token of `owner` (the identity is being removed from this device). */
  deleteOwner(owner: string): Promise<void>;
}

/** The token store over IndexedDB database `name` (tests give their own). */
export function tokenStore(name = DB_NAME): TokenStore {
  let db: Promise<IDBPDatabase<TokenSchema>> | undefined;
  const open = () => {
    db ??= openDB<TokenSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('tokens', { keyPath: 'id' }).createIndex('owner', 'owner');
      },
    });
    return db;
  };
  return {
    async put(session, id, token) {
      const owner = session.identity.cid.toString();
      const key = tokenKey(session);
      const iv = randomBytes(NONCE_BYTES);
      try {
        const ciphertext = aes256gcm.seal(key, iv, aadOf(owner, id), token);
        await (await open()).put('tokens', { id, owner, iv, ciphertext });
      } finally {
        wipe(key);
      }
    },
    async open(session, id) {
      const owner = session.identity.cid.toString();
      const rec = await (await open()).get('tokens', id);
      if (!rec || rec.owner !== owner) return undefined;
      const key = tokenKey(session);
      try {
        return aes256gcm.open(key, rec.iv, aadOf(owner, id), rec.ciphertext);
      } finally {
        wipe(key);
      }
    },
    async delete(owner, id) {
      const d = await open();
      const rec = await d.get('tokens', id);
      if (rec?.owner === owner) await d.delete('tokens', id);
    },
    async deleteOwner(owner) {
      const d = await open();
      const tx = d.transaction('tokens', 'readwrite');
      for (const id of await tx.store.index('owner').getAllKeys(owner)) await tx.store.delete(id);
      await tx.done;
    },
  };
}
