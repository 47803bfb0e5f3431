/**
 * A party of an order by name, as the chain view names it: "you", or the name in its verified identity
 * document (from the last chain check), with the CID one tap away rather than instead of the name.
 * @module
 */
import { type Component, Show } from 'solid-js';
import './party.css';
import { CopyText, shortCid } from '../ui/index.ts';
import type { OrderRecord } from './model.ts';

/** The name the app knows for `cid` in `order`: you, a name from a verified identity document, or none. */
export function partyName(order: Pick<OrderRecord, 'check'>, cid: string, me: string): string | undefined {
  if (cid === me) return 'you';
  return order.check?.identities[cid]?.name;
}

export const PartyName: Component<{
  readonly order: OrderRecord;
  readonly cid: string;
  readonly me: string;
  readonly testid?: string;
}> = (props) => {
  const name = () => partyName(props.order, props.cid, props.me);
  return (
    <details class="party" data-testid={props.testid} data-cid={props.cid}>
      <summary>
        <Show when={name()} fallback={<span class="mono">{shortCid(props.cid)}</span>}>
          {(n) => <span data-testid={props.testid ? `${props.testid}-name` : undefined}>{n()}</span>}
        </Show>
      </summary>
      <CopyText value={props.cid} label="identity CID" />
    </details>
  );
};
