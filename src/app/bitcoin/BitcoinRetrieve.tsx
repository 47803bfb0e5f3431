/** Retrieving an ordered Bitcoin key as its beneficiary: the node's share, added to ours in the worker. @module */
import { type Component, Show } from 'solid-js';
import { toHex, wipe } from '../../core/bytes.ts';
import type { RecoveredKey } from '../api/context.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { createRetrieval } from '../orders/retrieval.ts';
import { Button, ErrorNote, NodeButton, Progress } from '../ui/index.ts';
import { retrieveBitcoin } from './flow.ts';

export const BitcoinRetrieve: Component<{ readonly order: OrderRecord; readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const {
    value: key,
    run,
    forget,
  } = createRetrieval<RecoveredKey>(
    async () => (await retrieveBitcoin(deps, props.order.id)).key,
    (k) => wipe(k.privateKey),
    () => props.onDone(),
  );
  return (
    <div class="stack">
      <Show
        when={key()}
        fallback={
          <NodeButton variant="primary" busy={run.pending()} onClick={() => void run.run()} data-testid="retrieve">
            Retrieve the key
          </NodeButton>
        }
      >
        {(k) => (
          <div class="stack" data-testid="retrieved">
            <p class="success" role="status">
              Recombined on this device: the key owns {k().address}.
            </p>
            <dl class="facts">
              <dt>Address</dt>
              <dd class="mono" data-testid="retrieved-address">
                {k().address}
              </dd>
              <dt>Private key (WIF)</dt>
              <dd class="mono" data-testid="retrieved-wif">
                {k().wif}
              </dd>
              <dt>Private key (hex)</dt>
              <dd class="mono small" data-testid="retrieved-key-hex">
                {toHex(k().privateKey)}
              </dd>
            </dl>
            <Button onClick={forget} data-testid="forget-secret">
              Hide and forget
            </Button>
          </div>
        )}
      </Show>
      <Show when={run.pending()}>
        <Progress label="Asking the node for its share (sealed to you) and recombining the key in the worker…" />
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </div>
  );
};
