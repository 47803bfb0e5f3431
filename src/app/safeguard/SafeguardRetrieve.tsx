/** Retrieving a safeguarded secret as its beneficiary: shown once checked, wiped when hidden or left. @module */
import { type Component, Show } from 'solid-js';
import { wipe } from '../../core/bytes.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { createRetrieval } from '../orders/retrieval.ts';
import { Button, ErrorNote, Progress } from '../ui/index.ts';
import { retrieveSafeguard } from './flow.ts';
import { secretText } from './secret-text.ts';

export const SafeguardRetrieve: Component<{ readonly order: OrderRecord; readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const {
    value: secret,
    run,
    forget,
  } = createRetrieval(
    async () => (await retrieveSafeguard(deps, props.order.id)).secret,
    (s) => wipe(s),
    () => props.onDone(),
  );
  return (
    <div class="stack">
      <Show
        when={secret()}
        fallback={
          <Button variant="primary" busy={run.pending()} onClick={() => void run.run()} data-testid="retrieve">
            Retrieve the secret
          </Button>
        }
      >
        {(s) => (
          <div class="stack" data-testid="retrieved">
            <p class="success" role="status">
              Retrieved and checked against the node's commitment.
            </p>
            <pre
              class="mono"
              style={{ 'white-space': 'pre-wrap', 'overflow-wrap': 'anywhere' }}
              data-testid="retrieved-secret"
              data-encoding={secretText(s()).encoding}
            >
              {secretText(s()).text}
            </pre>
            <Button onClick={forget} data-testid="forget-secret">
              Hide and forget
            </Button>
          </div>
        )}
      </Show>
      <Show when={run.pending()}>
        <Progress label="Asking the node for the secret (sealed to you) and checking it…" />
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </div>
  );
};
