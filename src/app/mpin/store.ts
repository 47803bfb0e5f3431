/** The M-Pin registrations of the unlocked identity on the page (tokens stay in IndexedDB; views see records). @module */
import { type Accessor, createSignal } from 'solid-js';
import type { FlowsDeps } from '../api/deps.ts';
import { listRegistrations, removeRegistration } from './flow.ts';
import type { MpinRegistration } from './model.ts';

export interface MpinStore {
  readonly registrations: Accessor<readonly MpinRegistration[]>;
  refresh(owner: string): Promise<void>;
  remove(owner: string, id: string): Promise<void>;
}

export function createMpinStore(deps: FlowsDeps): MpinStore {
  const [registrations, setRegistrations] = createSignal<readonly MpinRegistration[]>([]);
  const refresh = async (owner: string): Promise<void> => {
    setRegistrations(await listRegistrations(deps, owner));
  };
  return {
    registrations,
    refresh,
    async remove(owner, id) {
      await removeRegistration(deps, id);
      await refresh(owner);
    },
  };
}
