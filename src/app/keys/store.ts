/**
 * The vault's state on the page: which identities this device holds, which one is unlocked, and the
 * actions on them. Every action goes to the worker (which holds the keys) and then re-reads the state, so
 * the page never keeps a second, stale copy. Passkey ceremonies run here (WebAuthn is page-only) and hand
 * the PRF output to the worker at once.
 * @module
 */
import { CID } from 'multiformats/cid';
import { type Accessor, createSignal } from 'solid-js';
import type { IdentityEntry, IdentityInfo, RemoteAppApi, VaultState } from '../../worker/app-worker-client.ts';
import { removeMpinRecordsOf } from '../mpin/owner-records.ts';
import { evaluatePrf, registerPasskey } from './webauthn.ts';

export interface VaultStore {
  /** The vault's state; null until first read. */
  readonly state: Accessor<VaultState | null>;
  /** The unlocked identity (public data), or null. */
  readonly current: Accessor<IdentityInfo | null>;
  /** The entry of the identity to show first (unlocked, else the last used). */
  readonly active: Accessor<IdentityEntry | null>;
  refresh(): Promise<void>;
  create(name: string): Promise<IdentityEntry>;
  unlock(entry: IdentityEntry): Promise<void>;
  lock(): Promise<void>;
  addPasskey(): Promise<void>;
  removePasskey(): Promise<void>;
  exportBackup(passphrase: string, scryptLogN?: number): Promise<Uint8Array>;
  importBackup(file: Uint8Array, passphrase: string, identity?: Uint8Array): Promise<IdentityEntry>;
  remove(cid: string): Promise<void>;
}

export function createVaultStore(api: RemoteAppApi): VaultStore {
  const [state, setState] = createSignal<VaultState | null>(null);
  const [current, setCurrent] = createSignal<IdentityInfo | null>(null);

  const refresh = async () => {
    const [s, c] = await Promise.all([api.vault.state(), api.vault.current()]);
    setState(s);
    setCurrent(c);
  };
  /** Runs a worker step, then re-reads the state whether it worked or not. */
  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      await refresh();
    }
  };

  const active = () => {
    const s = state();
    const cid = s?.unlocked ?? s?.active;
    return s?.identities.find((e) => e.cid === cid) ?? null;
  };

  return {
    state,
    current,
    active,
    refresh,
    create: (name) =>
      step(async () => {
        const entry = await api.vault.create(name);
        // Best effort: ask the browser not to evict this origin's storage (the keys) when short of space.
        void navigator.storage?.persist?.().catch(() => undefined);
        return entry;
      }),
    unlock: (entry) =>
      step(async () => {
        if (entry.protection !== 'passkey' || !entry.passkey) {
          await api.vault.unlock(entry.cid);
          return;
        }
        const prf = await evaluatePrf(entry.passkey);
        try {
          await api.vault.unlock(entry.cid, prf);
        } finally {
          prf.fill(0);
        }
      }),
    lock: () => step(() => api.vault.lock()),
    addPasskey: () =>
      step(async () => {
        const me = current();
        if (!me) throw Object.assign(new Error('unlock an identity first'), { name: 'VaultLockedError' });
        const enrolment = await registerPasskey(me.name, CID.parse(me.cid).bytes);
        try {
          await api.vault.addPasskey(enrolment);
        } finally {
          enrolment.prf.fill(0);
        }
      }),
    removePasskey: () =>
      step(async () => {
        await api.vault.removePasskey();
      }),
    exportBackup: (passphrase, scryptLogN) =>
      api.vault.exportBackup(passphrase, scryptLogN !== undefined ? { scryptLogN } : {}),
    importBackup: (file, passphrase, identity) =>
      step(() => api.vault.importBackup(file, passphrase, identity ? { identity } : {})),
    remove: (cid) =>
      step(async () => {
        await api.vault.remove(cid);
        await removeMpinRecordsOf(cid); // the worker removed their tokens with the identity
      }),
  };
}
