/**
 * Writing, replacing and removing an identity's record together with its device key. Each change is one
 * IndexedDB transaction, so a killed tab leaves either the old protection or the new one, never a record without
 * the key that opens it; every value holding a secret is padded into a file of its own (own-file.ts), so that
 * what a change replaces or deletes also leaves the disk.
 * @module
 */
import { wipe } from '../../core/bytes.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { IdentityRecord, PasskeyInfo, VaultDb } from './db.ts';
import { VaultUnlockError } from './errors.ts';
import { ownFilePadding } from './own-file.ts';
import { newDeviceKey, seal, unseal } from './wrapping.ts';

/** The public part of a record. */
function publicPart(identity: Verified<IdentityDocument>, added: number) {
  return {
    cid: identity.cid.toString(),
    name: identity.value.name,
    created: identity.value.created,
    added,
    document: identity.bytes,
  };
}

/** Seals `plain` (encoded secrets) under a new device key of its own; replaces any record of that CID. */
export async function storeDeviceSealed(
  db: VaultDb,
  identity: Verified<IdentityDocument>,
  plain: Uint8Array,
  added: number,
): Promise<IdentityRecord> {
  const key = await newDeviceKey();
  const base = publicPart(identity, added);
  const secrets = await seal(key, plain, base.cid, 'device');
  const r: IdentityRecord = { ...base, protection: 'device', passkey: null, secrets, pad: ownFilePadding() };
  const tx = db.transaction(['identities', 'deviceKeys'], 'readwrite');
  await Promise.all([
    tx.objectStore('deviceKeys').put({ key, pad: ownFilePadding() }, base.cid),
    tx.objectStore('identities').put(r),
    tx.done,
  ]);
  return r;
}

/**
 * Seals `plain` under `key` (derived from `passkey`'s PRF output), checks the seal opens, then in one transaction
 * replaces the record and deletes the identity's device key: nothing a passkey protects stays under a device key.
 */
export async function storePasskeySealed(
  db: VaultDb,
  identity: Verified<IdentityDocument>,
  plain: Uint8Array,
  added: number,
  passkey: PasskeyInfo,
  key: CryptoKey,
): Promise<IdentityRecord> {
  const base = publicPart(identity, added);
  const secrets = await seal(key, plain, base.cid, 'passkey');
  wipe(await unseal(key, secrets, base.cid, 'passkey'));
  const r: IdentityRecord = { ...base, protection: 'passkey', passkey, secrets, pad: ownFilePadding() };
  const tx = db.transaction(['identities', 'deviceKeys'], 'readwrite');
  await Promise.all([tx.objectStore('identities').put(r), tx.objectStore('deviceKeys').delete(base.cid), tx.done]);
  return r;
}

/** The device key of a device-protected record. */
export async function deviceKeyOf(db: VaultDb, cid: string): Promise<CryptoKey> {
  const stored = await db.get('deviceKeys', cid);
  if (!(stored?.key instanceof CryptoKey)) {
    throw new VaultUnlockError('the device key of this identity is missing (the browser data was partly cleared)');
  }
  return stored.key;
}

/** Removes an identity's record, its device key and, if it was the active one, that setting. */
export async function removeRecord(db: VaultDb, cid: string): Promise<void> {
  const tx = db.transaction(['identities', 'deviceKeys', 'settings'], 'readwrite');
  const settings = tx.objectStore('settings');
  const active = await settings.get('active');
  await Promise.all([
    tx.objectStore('identities').delete(cid),
    tx.objectStore('deviceKeys').delete(cid),
    active === cid ? settings.delete('active') : Promise.resolve(),
    tx.done,
  ]);
}
