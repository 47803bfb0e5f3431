/**
 * The vault's state as the page reads it: the identities on this device (public entries), the active one, the
 * unlocked one. Read from the database alone, so the worker answers the page's first read (its first screen) at
 * its start, before the vault's own code (vault.ts, the envelope code it needs) has loaded.
 * @module
 */
import type { IdentityRecord, VaultDb } from './db.ts';
import type { IdentityEntry, VaultState } from './vault.ts';

export function entryOf(r: IdentityRecord): IdentityEntry {
  return { cid: r.cid, name: r.name, created: r.created, added: r.added, protection: r.protection, passkey: r.passkey };
}

/** The state with `unlocked` as the unlocked identity (null when none is). */
export async function readVaultState(db: VaultDb, unlocked: string | null): Promise<VaultState> {
  const records = await db.getAll('identities');
  records.sort((a, b) => a.added - b.added);
  const active = await db.get('settings', 'active');
  return {
    identities: records.map(entryOf),
    active: typeof active === 'string' && records.some((r) => r.cid === active) ? active : (records[0]?.cid ?? null),
    unlocked,
    unavailable: null,
  };
}

/** The state of a vault that cannot store keys here (unavailable.ts), with the reason. */
export function unavailableState(reason: Error): VaultState {
  return { identities: [], active: null, unlocked: null, unavailable: reason.message };
}
