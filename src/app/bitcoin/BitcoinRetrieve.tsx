/**
 * Retrieving an ordered Bitcoin key as its beneficiary: the node's share, added to ours in the worker. The view
 * shows the key's address; the key itself comes from the worker only when the person presses Reveal or Copy and
 * confirms it is them (a passkey assertion, or a device-key identity's name typed again): src/worker/api/bitcoin.ts.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { toHex, wipe } from '../../core/bytes.ts';
import type { RecoveredKey } from '../api/context.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { createRetrieval } from '../orders/retrieval.ts';
import { useApp } from '../shell/context.tsx';
import { Button, CopyText, ErrorNote, NameConfirmField, NodeButton, Progress, SecretValue } from '../ui/index.ts';
import { type RetrievedAddress, retrieveBitcoin, retrieveBitcoinAddress } from './flow.ts';

/** Said when a private key is revealed: a Bitcoin key is the coins, not a password that can be changed. */
const SPEND_WARNING =
  'whoever has this key can spend it. Reveal or copy it only to move the funds to a wallet you trust.';

export const BitcoinRetrieve: Component<{ readonly order: OrderRecord; readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  const [typedName, setTypedName] = createSignal('');
  const byPasskey = () => vault.active()?.protection === 'passkey';
  const {
    value: key,
    run,
    forget,
  } = createRetrieval<RetrievedAddress>(
    async () => (await retrieveBitcoinAddress(deps, props.order.id)).address,
    () => undefined, // the address only: the key was never here
    () => props.onDone(),
  );
  /** The key as text, fetched from the worker on the person's fresh confirmation; its bytes wiped here at once. */
  const revealed = (format: (k: RecoveredKey) => string) => () =>
    vault.confirmed(typedName(), async (confirmation) => {
      const k = (await retrieveBitcoin(deps, props.order.id, confirmation)).key;
      try {
        return format(k);
      } finally {
        wipe(k.privateKey);
      }
    });
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
              <Show when={!byPasskey()}>
                <dt>Confirm</dt>
                <dd>
                  <NameConfirmField
                    label="The identity's name, to reveal or copy the key"
                    value={typedName()}
                    onInput={setTypedName}
                    testId="reveal-name"
                  />
                </dd>
              </Show>
              <dt>Private key (WIF)</dt>
              <dd>
                <SecretValue
                  value={revealed((k) => k.wif)}
                  label="private key (WIF)"
                  warning={SPEND_WARNING}
                  testid="retrieved-wif"
                />
              </dd>
              <dt>Private key (hex)</dt>
              <dd>
                <SecretValue
                  value={revealed((k) => toHex(k.privateKey))}
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
