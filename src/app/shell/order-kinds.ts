/**
 * The order kinds the app knows, registered once at start (main.tsx) in the order the orders list offers
 * them: each feature folder's index.tsx exports its `orderKind` (its data and its order page views).
 * @module
 */
import { orderKind as bitcoin } from '../bitcoin/index.tsx';
import { orderKind as custody } from '../custody/index.tsx';
import { orderKind as mpin } from '../mpin/index.tsx';
import { registerOrderKind } from '../orders/kinds.ts';
import { orderKind as safeguard } from '../safeguard/index.tsx';

export function registerOrderKinds(): void {
  for (const kind of [safeguard, custody, bitcoin, mpin]) registerOrderKind(kind);
}
