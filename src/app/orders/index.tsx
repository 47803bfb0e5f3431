/** Orders: the list (with the import of an order you are named in) and one order's page with its envelope chain. @module */
import type { AppRoute } from '../shell/router.ts';
import { OrderPage } from './OrderPage.tsx';
import { OrdersPage } from './OrdersPage.tsx';

export const routes: AppRoute[] = [
  { path: '/orders', title: 'Orders', component: OrdersPage },
  { path: '/orders/:id', title: 'Order', component: OrderPage },
];
