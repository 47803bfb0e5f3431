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

/** The vault's state read from its database alone, or why the vault is unavailable (as the loaded API says it). */
export async function readEarlyState(db: Promise<VaultDb>): Promise<VaultState> {
  let opened: VaultDb;
  try {
    opened = await db;
  } catch (e) {
    // As the loaded API would: a vault whose database cannot open says why (unavailable.ts).
    return unavailableState(e instanceof Error ? e : new Error(String(e)));
  }
  return readVaultState(opened, null);
}

/**
 * `read` is told when the first state has been read (app-worker.ts then loads the rest). `first`: that state, read
 * since the worker's start (the database is read while the wasm compiles, and the page's first call finds it
 * ready); later calls read again.
 */
export function answersBeforeLoad(
  db: Promise<VaultDb>,
  read: () => void = () => undefined,
  first: Promise<VaultState> = readEarlyState(db),
): EarlyAnswers {
  // Not asked for, it is not an unhandled failure.
  first.catch(() => undefined);
  let next: Promise<VaultState> | undefined = first;
  const state = async (): Promise<VaultState> => {
    const reading = next ?? readEarlyState(db);
    next = undefined;
    try {
      return await reading;
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
