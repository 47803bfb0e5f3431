/**
 * The vault's state on the page: which identities this device holds, which one is unlocked, and the
 * actions on them. Every action goes to the worker (which holds the keys) and then re-reads the state, so
 * the page never keeps a second, stale copy. Passkey ceremonies run here (WebAuthn is page-only) and hand
 * the PRF output to the worker at once; the page's copy is wiped after the call. A backup export and removing a
 * passkey take a fresh confirmation (a passkey assertion, or the name of a device-key identity typed again).
 * @module
 */
import { CID } from 'multiformats/cid';
import { type Accessor, createSignal } from 'solid-js';
import type {
  FreshConfirmation,
  IdentityEntry,
  IdentityInfo,
  RemoteAppApi,
  VaultState,
} from '../../worker/app-worker-client.ts';
import { removeMpinRecordsOf } from '../mpin/owner-records.ts';
import { watchIdle } from './idle.ts';
import { evaluatePrf, registerPasskey } from './webauthn.ts';

export interface VaultStore {
  /** The vault's state; null until first read. */
  readonly state: Accessor<VaultState | null>;
  /** The unlocked identity (public data), or null. */
  readonly current: Accessor<IdentityInfo | null>;
  /** The entry of the identity to show first (unlocked, else the last used). */
  readonly active: Accessor<IdentityEntry | null>;
  refresh(): Promise<void>;
  /** Creates an identity, sealed under a new passkey when `withPasskey`, else under a device key. */
  create(name: string, withPasskey?: boolean): Promise<IdentityEntry>;
  unlock(entry: IdentityEntry): Promise<void>;
  lock(): Promise<void>;
  addPasskey(): Promise<void>;
  removePasskey(): Promise<void>;
  /**
   * Runs `work` with a fresh confirmation for the worker: a passkey assertion made now for a passkey identity (its
   * PRF output wiped after), else `typedName`, the name of a device-key identity typed again.
   */
  confirmed<T>(typedName: string | undefined, work: (confirmation: FreshConfirmation) => Promise<T>): Promise<T>;
  /** `typedName`: the confirmation of a device-key identity (a passkey identity asks its passkey instead). */
  exportBackup(passphrase: string, typedName?: string, scryptLogN?: number): Promise<Uint8Array>;
  autoLockMs(): Promise<number>;
  setAutoLockMs(ms: number): Promise<number>;
  /** `passkeyLabel`: seal the imported identity under a new passkey shown by that name, else under a device key. */
  importBackup(file: Uint8Array, passphrase: string, passkeyLabel?: string): Promise<IdentityEntry>;
  remove(cid: string): Promise<void>;
}

export function createVaultStore(api: RemoteAppApi): VaultStore {
  const [state, setState] = createSignal<VaultState | null>(null);
  const [current, setCurrent] = createSignal<IdentityInfo | null>(null);

  const read = async () => {
    const [s, c] = await Promise.all([api.vault.state(), api.vault.current()]);
    setState(s);
    setCurrent(c);
  };
  const idle = watchIdle(api, () => void read());
  /** Re-reads the vault; an action the person just took counts as activity for the auto-lock. */
  const refresh = async () => {
    await read();
    if (current()) idle.rearm(await api.vault.touch());
  };
  /** Runs a worker step, then re-reads the state whether it worked or not. */
  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      await refresh();
    }
  };

  /** A passkey assertion with user verification, now, for the entry's salt: the PRF output. */
  const passkeyPrf = async (entry: IdentityEntry | null) => {
    if (!entry?.passkey) throw Object.assign(new Error('unlock an identity first'), { name: 'VaultLockedError' });
    return evaluatePrf(entry.passkey);
  };
  const withPrf = async <T>(prf: Uint8Array | undefined, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      prf?.fill(0);
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
    create: (name, withPasskey = false) =>
      step(async () => {
        // A random user handle: the identity's CID does not exist before its keys do.
        const enrolment = withPasskey
          ? await registerPasskey(name.trim(), crypto.getRandomValues(new Uint8Array(16)))
          : undefined;
        const entry = await withPrf(enrolment?.prf, () => api.vault.create(name, enrolment));
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
        const prf = await passkeyPrf(active());
        await withPrf(prf, () => api.vault.removePasskey({ prf }));
      }),
    confirmed: async (typedName, work) => {
      const entry = active();
      const prf = entry?.protection === 'passkey' ? await passkeyPrf(entry) : undefined;
      return withPrf(prf, () => work(prf ? { prf } : { name: typedName ?? '' }));
    },
    exportBackup: async (passphrase, typedName, scryptLogN) => {
      const entry = active();
      const prf = entry?.protection === 'passkey' ? await passkeyPrf(entry) : undefined;
      const options = {
        ...(prf ? { prf } : { name: typedName ?? '' }),
        ...(scryptLogN !== undefined ? { scryptLogN } : {}),
      };
      return withPrf(prf, () => api.vault.exportBackup(passphrase, options));
    },
    autoLockMs: () => api.vault.autoLock(),
    // Through step: the refresh re-arms the page's timer on the new deadline.
    setAutoLockMs: (ms) => step(() => api.vault.setAutoLock(ms)),
    importBackup: (file, passphrase, passkeyLabel) =>
      step(async () => {
        const passkey = passkeyLabel
          ? await registerPasskey(passkeyLabel, crypto.getRandomValues(new Uint8Array(16)))
          : undefined;
        return withPrf(passkey?.prf, () => api.vault.importBackup(file, passphrase, passkey ? { passkey } : {}));
      }),
    remove: (cid) =>
      step(async () => {
        await api.vault.remove(cid);
        await removeMpinRecordsOf(cid); // the worker removed their tokens with the identity
      }),
  };
}
