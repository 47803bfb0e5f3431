/** Retrieving a safeguarded secret as its beneficiary: shown once checked, wiped when hidden or left. @module */
import { type Component, Show } from 'solid-js';
import { wipe } from '../../core/bytes.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { RetrievedSecret } from '../orders/RetrievedSecret.tsx';
import { createRetrieval } from '../orders/retrieval.ts';
import { ErrorNote, NodeButton, Progress } from '../ui/index.ts';
import { retrieveSafeguard } from './flow.ts';

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
          <NodeButton variant="primary" busy={run.pending()} onClick={() => void run.run()} data-testid="retrieve">
            Retrieve the secret
          </NodeButton>
        }
      >
        {(s) => (
          <RetrievedSecret secret={s()} onForget={forget}>
            <p class="success" role="status">
              Retrieved and checked against the node's commitment.
            </p>
          </RetrievedSecret>
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
