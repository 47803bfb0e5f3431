/**
 * What the app worker answers before its API has loaded (app-worker.ts, on-demand.ts): the vault's state, read
 * from its database alone, which is the page's first call and all its first screen needs. Until the API has loaded
 * no identity can have been unlocked (unlocking goes through the loaded vault), so none is, and no idle lock runs.
 * @module
 */
import type { VaultDb } from '../vault/db.ts';
import { readVaultState, unavailableState } from '../vault/state.ts';
import type { VaultState } from '../vault/vault.ts';
import type { EarlyAnswers } from './on-demand.ts';

/** `read` is told when the first state has been read (app-worker.ts then loads the rest). */
export function answersBeforeLoad(db: Promise<VaultDb>, read: () => void = () => undefined): EarlyAnswers {
  const state = async (): Promise<VaultState> => {
    try {
      let opened: VaultDb;
      try {
        opened = await db;
      } catch (e) {
        // As the loaded API would: a vault whose database cannot open says why (unavailable.ts).
        return unavailableState(e instanceof Error ? e : new Error(String(e)));
      }
      return await readVaultState(opened, null);
    } finally {
      read();
    }
  };
  return {
    'vault.state': state,
    'vault.current': () => null,
    'vault.touch': () => null,
    'vault.idleLeft': () => null,
  };
}
