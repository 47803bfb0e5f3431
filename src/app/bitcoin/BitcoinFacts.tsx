/** A Bitcoin key's row on its order page: the address of F + B, with its network and type. @module */
import { type Component, Show } from 'solid-js';
import type { OrderRecord } from '../orders/model.ts';
import { CopyText } from '../ui/index.ts';
import { bitcoinSummaryOf } from './summary.ts';

export const BitcoinFacts: Component<{ readonly order: OrderRecord }> = (props) => (
  <Show when={bitcoinSummaryOf(props.order)}>
    {(s) => (
      <>
        <dt>
          Address ({s().network}, {s().addressType})
        </dt>
        <dd data-testid="bitcoin-address">
          <CopyText value={s().address} label="Bitcoin address" />
        </dd>
      </>
    )}
  </Show>
);
