/**
 * Shared fixtures of the protocol tests: one core per test file, parties
 * (secrets + identity document), an in-memory block source, and byte-level
 * tampering of DAG-CBOR documents (decode without the strict checks, change,
 * re-encode canonically).
 * @module
 */
import * as dagCbor from '@ipld/dag-cbor';
import type { CID } from 'multiformats/cid';
import { createCore } from '../../src/core/index.ts';
import {
  type BlockSource,
  cidOf,
  createIdentity,
  generateIdentitySecrets,
  type IdentityDocument,
  type IdentityFields,
  type IdentitySecrets,
  type Verified,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';

let corePromise: Promise<Core> | undefined;
export function getCore(): Promise<Core> {
  corePromise ??= createCore();
  return corePromise;
}

export interface Party {
  readonly secrets: IdentitySecrets;
  readonly identity: Verified<IdentityDocument>;
  readonly cid: CID;
}

export async function makeParty(core: Core, name: string, fields: Partial<IdentityFields> = {}): Promise<Party> {
  const secrets = await generateIdentitySecrets(core.bls);
  const identity = await createIdentity(core.bls, secrets, { name, ...fields });
  return { secrets, identity, cid: identity.cid };
}

/** A block store in memory: put returns the CID of the bytes. */
export class MemoryBlocks implements BlockSource {
  readonly blocks = new Map<string, Uint8Array>();
  put(bytes: Uint8Array): CID {
    const cid = cidOf(bytes);
    this.blocks.set(cid.toString(), bytes);
    return cid;
  }
  /** Stores `bytes` under a CID they do not hash to (a lying store). */
  putAs(cid: CID, bytes: Uint8Array): void {
    this.blocks.set(cid.toString(), bytes);
  }
  delete(cid: CID): void {
    this.blocks.delete(cid.toString());
  }
  async get(cid: CID): Promise<Uint8Array> {
    const b = this.blocks.get(cid.toString());
    if (!b) throw Object.assign(new Error(`no block ${cid.toString()}`), { name: 'NotFoundError' });
    return b;
  }
}

/** Decodes `bytes` (leniently), lets `change` edit the value, re-encodes canonically. */
export function tamper(bytes: Uint8Array, change: (doc: any) => void): Uint8Array {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = dagCbor.decode(bytes);
  change(doc);
  return dagCbor.encode(doc);
}

/** The error name a sync or async call ends with, or undefined when it succeeds. */
export async function errorName(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}
