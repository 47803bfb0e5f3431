/** Retrieving an ordered Bitcoin key as its beneficiary: the node's share, added to ours in the worker. @module */
import { type Component, Show } from 'solid-js';
import { toHex, wipe } from '../../core/bytes.ts';
import type { RecoveredKey } from '../api/context.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { createRetrieval } from '../orders/retrieval.ts';
import { Button, CopyText, ErrorNote, NodeButton, Progress, SecretValue } from '../ui/index.ts';
import { retrieveBitcoin } from './flow.ts';

/** Said when a private key is revealed: a Bitcoin key is the coins, not a password that can be changed. */
const SPEND_WARNING =
  'whoever has this key can spend it. Reveal or copy it only to move the funds to a wallet you trust.';

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
              <dd data-testid="retrieved-address">
                <CopyText value={k().address} label="Bitcoin address" />
              </dd>
              <dt>Private key (WIF)</dt>
              <dd>
                <SecretValue value={k().wif} label="private key (WIF)" warning={SPEND_WARNING} testid="retrieved-wif" />
              </dd>
              <dt>Private key (hex)</dt>
              <dd>
                <SecretValue
                  value={toHex(k().privateKey)}
                  label="private key (hex)"
                  warning={SPEND_WARNING}
                  testid="retrieved-key-hex"
                />
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
