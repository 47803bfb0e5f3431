/**
 * What a first run needs besides an identity, and where the app keeps track of it: persistent storage (asked
 * for once the identity exists, so the browser does not evict its keys), a backup saved (a flag per identity in
 * localStorage: public, it only says a file was written), the node serving this app (when the page comes from
 * a node: its own origin answers /v1/status, asked when the person chooses to add it), and a first order.
 * Home's "Next step" card reads these.
 * @module
 */
import { nodeApiAt } from '../api/node-api.ts';

const BACKUP_KEY = 'dta.backup-saved.';
const PERSIST_KEY = 'dta.persist-asked';

function storageGet(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled: the step is simply shown again
  }
}

function storageSet(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // storage disabled: nothing to remember
  }
}

/** Called once a backup file of `cid` was written. */
export function markBackedUp(cid: string): void {
  storageSet(BACKUP_KEY + cid, String(Date.now()));
}

/** Whether a backup of `cid` was saved from this device. */
export function backedUp(cid: string): boolean {
  return storageGet(BACKUP_KEY + cid) !== null;
}

/** 'granted': the browser keeps this app's data; 'refused': asked, and it may evict it; 'unsupported': no API. */
export type Persistence = 'granted' | 'refused' | 'not-asked' | 'unsupported';

/** Where persistence stands, without asking. */
export async function persistence(): Promise<Persistence> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persisted || !storage.persist) return 'unsupported';
  if (await storage.persisted()) return 'granted';
  return storageGet(PERSIST_KEY) ? 'refused' : 'not-asked';
}

/** Asks the browser to keep this app's data (it may answer at once, without a prompt); the answer. */
export async function requestPersistence(): Promise<Persistence> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return 'unsupported';
  storageSet(PERSIST_KEY, String(Date.now()));
  return (await storage.persist()) ? 'granted' : 'refused';
}

/** The node serving this page, when it is one: its origin and name (undefined for a plain static server). */
export async function servingNode(): Promise<{ readonly url: string; readonly name: string } | undefined> {
  const origin = globalThis.location?.origin;
  if (!origin?.startsWith('http')) return undefined;
  try {
    const status = await nodeApiAt(origin).status({ timeoutMs: 4000 });
    return { url: origin, name: status.name };
  } catch {
    return undefined; // no node API here: the page comes from elsewhere
  }
}
