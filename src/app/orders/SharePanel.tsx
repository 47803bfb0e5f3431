/**
 * On an order placed for someone else: what to send them. The order id and its node as text to copy, a link
 * that opens "Add an order" filled in, and the same link as a QR code for a phone next to the screen. None of
 * it is secret: only the beneficiary's keys open what the order holds.
 * @module
 */
import { type Component, Suspense } from 'solid-js';
import { QrCode } from '../qr/index.ts';
import { CopyText } from '../ui/index.ts';
import type { OrderRecord } from './model.ts';
import { shareLink } from './share-link.ts';

export const SharePanel: Component<{ readonly order: OrderRecord; readonly beneficiary: string }> = (props) => {
  const link = () => shareLink({ order: props.order.id, node: props.order.node, plugin: props.order.plugin });
  return (
    <div class="stack" data-testid="share-panel">
      <p>
        Send {props.beneficiary} the order's id and its node: with them their dta app finds the order and retrieves it.
        The link below opens "Add an order" filled in; nothing in it is secret.
      </p>
      <dl class="facts">
        <dt>Order id</dt>
        <dd data-testid="share-order-id">
          <CopyText value={props.order.id} label="order id" />
        </dd>
        <dt>Node</dt>
        <dd data-testid="share-node">
          <CopyText value={props.order.node} label="node address" />
        </dd>
        <dt>Link</dt>
        <dd data-testid="share-link">
          <CopyText value={link()} label="link to add this order" />
        </dd>
      </dl>
      <Suspense>
        <QrCode value={link()} label="link to add this order" testid="share-qr" />
      </Suspense>
    </div>
  );
};
