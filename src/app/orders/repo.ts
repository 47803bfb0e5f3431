/**
 * Orders in the flows database, per identity: the records of the identity
 * that is unlocked are the ones listed; another identity on the same device
 * keeps its own.
 * @module
 */
import type { FlowsDeps } from '../api/deps.ts';
import { NotReadyError } from '../api/errors.ts';
import { byNewest, type OrderRecord } from './model.ts';

export async function listOrders(deps: FlowsDeps, owner: string): Promise<OrderRecord[]> {
  const all = await (await deps.db()).getAllFromIndex('orders', 'owner', owner);
  return all.sort(byNewest);
}

export async function findOrder(deps: FlowsDeps, owner: string, id: string): Promise<OrderRecord | undefined> {
  return (await deps.db()).get('orders', [owner, id]);
}

export async function getOrder(deps: FlowsDeps, owner: string, id: string): Promise<OrderRecord> {
  const order = await findOrder(deps, owner, id);
  if (!order) throw new NotReadyError(`order ${id} is not in this app for this identity`);
  return order;
}

export async function putOrder(deps: FlowsDeps, order: OrderRecord): Promise<OrderRecord> {
  await (await deps.db()).put('orders', order);
  return order;
}

/** Reads, changes and writes one record in a single transaction (so that two flows never lose each other's update). */
export async function updateOrder(
  deps: FlowsDeps,
  owner: string,
  id: string,
  change: (o: OrderRecord) => OrderRecord,
): Promise<OrderRecord> {
  const db = await deps.db();
  const tx = db.transaction('orders', 'readwrite');
  const current = await tx.store.get([owner, id]);
  if (!current) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new NotReadyError(`order ${id} is not in this app for this identity`);
  }
  const next = change(current);
  await tx.store.put(next);
  await tx.done;
  return next;
}
