/**
 * Shared set-up for the flows' data-module tests (not a test file): a
 * "device" = an identity with the app worker's API run in-process (the
 * worker's own protocol, bitcoin, custody, mpin and safeguard modules over
 * the core, no Worker thread) behind the flows' adapter, and its own fake IndexedDB database;
 * nodes are real (test/node/harness.ts: real Helia, real HTTP on loopback).
 */
import 'fake-indexeddb/auto';
import type { FlowsCrypto } from '../../src/app/api/context.ts';
import { flowsDb } from '../../src/app/api/db.ts';
import type { FlowsDeps } from '../../src/app/api/deps.ts';
import { flowsCryptoOf } from '../../src/app/api/worker-adapter.ts';
import { createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../../src/core/protocol/types.ts';
import { bitcoinApi } from '../../src/worker/api/bitcoin.ts';
import { custodyApi } from '../../src/worker/api/custody.ts';
import { mpinApi } from '../../src/worker/api/mpin.ts';
import { infoOfIdentity, protocolApi } from '../../src/worker/api/protocol.ts';
import { safeguardApi } from '../../src/worker/api/safeguard.ts';
import type { RemoteAppApi } from '../../src/worker/app-worker-client.ts';
import { tokenStore } from '../../src/worker/mpin/token-store.ts';
import { sharedCore } from '../node/harness.ts';

export interface Device {
  readonly identity: Verified<IdentityDocument>;
  readonly cid: string;
  readonly crypto: FlowsCrypto;
  readonly deps: FlowsDeps;
  /** Locks or unlocks the identity (signer() answers undefined while locked). */
  setLocked(locked: boolean): void;
  /** The same identity on another device (its own empty database). */
  clone(): Promise<Device>;
  /** Another identity on a device of its own. */
  stranger(name: string): Promise<Device>;
}

let dbCount = 0;

function nameTyped(identity: Verified<IdentityDocument>, confirmation: { readonly name?: string } | undefined): void {
  if (confirmation?.name !== identity.value.name)
    throw Object.assign(new Error('type the name'), { name: 'VaultError' });
}

/** A device with a fresh identity `name` and its own database; `fetch` wraps the global one (tests may break it). */
export async function device(name: string, options: { fetch?: FlowsDeps['fetch'] } = {}): Promise<Device> {
  const core = await sharedCore();
  const secrets: IdentitySecrets = await generateIdentitySecrets(core.bls);
  return deviceOf(await createIdentity(core.bls, secrets, { name }), secrets, options);
}

async function deviceOf(
  identity: Verified<IdentityDocument>,
  secrets: IdentitySecrets,
  options: { fetch?: FlowsDeps['fetch'] },
): Promise<Device> {
  const core = await sharedCore();
  const session = { identity, secrets };
  let locked = false;
  const api = {
    core,
    vault: { current: () => (locked ? null : infoOfIdentity(identity)) },
    protocol: protocolApi({ bls: core.bls, session: () => session, maybeSession: () => (locked ? null : session) }),
    // A device-key identity's fresh confirmation: its name typed again (the vault's confirmFresh).
    bitcoin: bitcoinApi({ bls: core.bls, session: () => session, confirmFresh: async (c) => nameTyped(identity, c) }),
    custody: custodyApi({ core, session: () => session }),
    mpin: mpinApi({ core, session: () => session, tokens: tokenStore(`mpin-test-${process.pid}-${dbCount}`) }),
    safeguard: safeguardApi({ bls: core.bls, session: () => session }),
  };
  const crypto = flowsCryptoOf(api as unknown as RemoteAppApi);
  const dbName = `flows-test-${process.pid}-${dbCount++}`;
  const deps: FlowsDeps = {
    db: () => flowsDb(dbName),
    crypto: async () => crypto,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return {
    identity,
    cid: identity.cid.toString(),
    crypto,
    deps,
    setLocked: (l) => (locked = l),
    clone: () => deviceOf(identity, secrets, options),
    stranger: (other) => device(other, options),
  };
}
