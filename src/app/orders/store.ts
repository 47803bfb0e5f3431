/**
 * The orders of the unlocked identity on the page: the list (from IndexedDB, newest first) as a signal,
 * re-read after each flow step. Works offline: everything listed is stored on this device.
 * @module
 */
import { type Accessor, createSignal } from 'solid-js';
import type { FlowsDeps } from '../api/deps.ts';
import type { OrderRecord } from './model.ts';
import { listOrders } from './repo.ts';

export interface OrdersStore {
  readonly orders: Accessor<readonly OrderRecord[]>;
  readonly loaded: Accessor<boolean>;
  refresh(owner: string): Promise<void>;
}

export function createOrdersStore(deps: FlowsDeps): OrdersStore {
  const [orders, setOrders] = createSignal<readonly OrderRecord[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  return {
    orders,
    loaded,
    async refresh(owner) {
      setOrders(await listOrders(deps, owner));
      setLoaded(true);
    },
  };
}
