/**
 * What every screen may use, through useApp(): the worker's API (the core, the vault, the protocol with
 * the unlocked identity's keys) and the vault store. Screens are only rendered once the worker is up, so
 * useApp() never returns a half-started app.
 * @module
 */
import { createContext, type ParentComponent, useContext } from 'solid-js';
import type { RemoteAppApi } from '../../worker/app-worker-client.ts';
import type { VaultStore } from '../keys/store.ts';

export interface AppContextValue {
  readonly api: RemoteAppApi;
  readonly vault: VaultStore;
}

const AppContext = createContext<AppContextValue>();

export const AppProvider: ParentComponent<{ readonly value: AppContextValue }> = (props) => (
  <AppContext.Provider value={props.value}>{props.children}</AppContext.Provider>
);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp() outside the app shell (no <AppProvider>)');
  return value;
}
