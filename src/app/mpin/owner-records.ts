/**
 * Removing an identity removes its M-Pin registrations: the worker deletes their sealed tokens with the identity
 * (src/worker/api/index.ts), and this deletes the page's records of them. Kept apart from flow.ts so the identity
 * screen does not load the M-Pin flow.
 * @module
 */
import { flowsDb } from '../api/db.ts';

/** Deletes every M-Pin registration record of identity `owner` from the flows' database. */
export async function removeMpinRecordsOf(owner: string): Promise<void> {
  const db = await flowsDb();
  const tx = db.transaction('mpin', 'readwrite');
  for (const id of await tx.store.index('owner').getAllKeys(owner)) await tx.store.delete(id);
  await tx.done;
}
