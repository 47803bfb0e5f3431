/** Orders: the list, a new safeguarded secret, and one order's page with its envelope chain. @module */
import type { AppRoute } from '../shell/router.ts';
import { NewSafeguardPage } from './NewSafeguardPage.tsx';
import { OrderPage } from './OrderPage.tsx';
import { OrdersPage } from './OrdersPage.tsx';

export { createOrdersStore, type OrdersStore } from './store.ts';

export const routes: AppRoute[] = [
  { path: '/orders', title: 'Orders', component: OrdersPage },
  { path: '/orders/new', title: 'Safeguard a secret', component: NewSafeguardPage, nav: false },
  { path: '/orders/:id', title: 'Order', component: OrderPage },
];
