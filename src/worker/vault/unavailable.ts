/**
 * A vault that refuses everything with the reason the real one could not open (no IndexedDB in a private
 * window, for instance), so the rest of the worker (the core, verification) still runs.
 * @module
 */
import { unavailableState } from './state.ts';
import type { Vault } from './vault.ts';

export function unavailableVault(reason: Error): Vault {
  const refuse = async (): Promise<never> => {
    throw reason;
  };
  return {
    state: async () => unavailableState(reason),
    create: refuse,
    unlock: refuse,
    lock: () => undefined,
    addPasskey: refuse,
    removePasskey: refuse,
    confirmFresh: refuse,
    exportBackup: refuse,
    importBackup: refuse,
    remove: refuse,
    autoLock: refuse,
    setAutoLock: refuse,
    touch: () => null,
    idleLeft: () => null,
    session: () => {
      throw reason;
    },
  };
}
