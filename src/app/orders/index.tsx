/** Orders: the list (with the import of an order you are named in) and one order's page with its envelope chain. @module */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';

const OrderPage = lazyNamed(() => import('./OrderPage.tsx'), 'OrderPage');
const OrdersPage = lazyNamed(() => import('./OrdersPage.tsx'), 'OrdersPage');
const AddOrderPage = lazyNamed(() => import('./AddOrderPage.tsx'), 'AddOrderPage');

export const routes: AppRoute[] = [
  { path: '/orders', title: 'Orders', component: OrdersPage },
  { path: '/orders/add', title: 'Add an order', component: AddOrderPage, nav: false }, // before /orders/:id
  { path: '/orders/:id', title: 'Order', component: OrderPage },
];
