/**
 * The app worker's API: one object, exposed through comlink (../app-worker.ts), with
 *   core      the crypto core (src/core's Core: bls, mpin, shamir, ...), as createCoreWorker gives it
 *   vault     identities on this device: create, unlock (device key or passkey PRF), lock, passkeys,
 *             encrypted backup export/import, remove; `current()` is the unlocked identity's public side
 *   protocol  identity documents and envelopes with the unlocked identity's keys: create (sign/seal),
 *             verify, open, verify a chain
 *   bitcoin   the identity's secp256k1 shares: B for an order key, a signed key statement, recovery of k
 *   custody   threshold custody: deal and place a group's orders, complete them, retrieve from any t
 *   mpin      M-Pin registration and login: shares, client secret, token and x stay here (mpin.ts)
 *   safeguard a released secret, from the node's sealed redemption reply verified and opened here
 *   oidc      a redemption by someone with no dta key who signs in at an OpenID Connect provider (oidc-redeem.ts)
 * Secret keys never leave, nor do shares: every method returns public data, opened contents of envelopes that
 * carry no share (withheld.ts), or the secret the person asked to retrieve.
 * @module
 */
import type { Core } from '../../core/types.ts';
import { type TokenStore, tokenStore } from '../mpin/token-store.ts';
import type { Vault } from '../vault/vault.ts';
import type { bitcoinApi } from './bitcoin.ts';
import type { custodyApi } from './custody.ts';
import type { mpinApi } from './mpin.ts';
import type { oidcApi } from './oidc-redeem.ts';
import { onDemand } from './on-demand.ts';
import { infoOfIdentity, protocolApi } from './protocol.ts';
import type { safeguardApi } from './safeguard.ts';
import type { IdentityInfo } from './types.ts';

export function createAppApi(core: Core, vault: Vault, tokens: TokenStore = tokenStore()) {
  const maybeSession = () => {
    try {
      return vault.session();
    } catch {
      return null;
    }
  };
  return {
    core,
    vault: {
      state: () => vault.state(),
      /** The unlocked identity (public data), or null when locked. */
      current: (): IdentityInfo | null => {
        const s = maybeSession();
        return s ? infoOfIdentity(s.identity) : null;
      },
      create: vault.create,
      unlock: vault.unlock,
      lock: vault.lock,
      addPasskey: vault.addPasskey,
      removePasskey: vault.removePasskey,
      exportBackup: vault.exportBackup,
      importBackup: vault.importBackup,
      autoLock: vault.autoLock,
      setAutoLock: vault.setAutoLock,
      touch: vault.touch,
      idleLeft: vault.idleLeft,
      /** Removes the identity from this device, and its M-Pin tokens with it. */
      remove: async (cid: string): Promise<void> => {
        await vault.remove(cid);
        await tokens.deleteOwner(cid);
      },
    },
    protocol: protocolApi({ bls: core.bls, session: vault.session, maybeSession }),
    // Features load on their first call (on-demand.ts): the start needs none of their libraries.
    bitcoin: onDemand<ReturnType<typeof bitcoinApi>>(async () =>
      (await import('./bitcoin.ts')).bitcoinApi({
        bls: core.bls,
        session: vault.session,
        confirmFresh: vault.confirmFresh,
      }),
    ),
    custody: onDemand<ReturnType<typeof custodyApi>>(async () =>
      (await import('./custody.ts')).custodyApi({ core, session: vault.session }),
    ),
    mpin: onDemand<ReturnType<typeof mpinApi>>(async () =>
      (await import('./mpin.ts')).mpinApi({ core, session: vault.session, tokens }),
    ),
    safeguard: onDemand<ReturnType<typeof safeguardApi>>(async () =>
      (await import('./safeguard.ts')).safeguardApi({ bls: core.bls, session: vault.session }),
    ),
    // A redemption by OpenID Connect sign-in: its fresh redeemer identity is made and kept here, not in the vault.
    oidc: onDemand<ReturnType<typeof oidcApi>>(async () => (await import('./oidc-redeem.ts')).oidcApi({ core })),
  };
}

/** The API object the worker exposes (see app-worker-client.ts: RemoteAppApi for the page's view of it). */
export type AppApi = ReturnType<typeof createAppApi>;
export type * from './types.ts';
