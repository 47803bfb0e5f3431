/**
 * Retrieving a custody group's secret as its beneficiary: every node holding a share is asked at once; each
 * node's answer shows as it comes (a good share, a wrong one: named as a liar, none: down or refusing); the
 * secret is recovered in the worker from any t good shares, shown once, and wiped when hidden or left.
 * @module
 */
import { type Component, createSignal, For, Show } from 'solid-js';
import { wipe } from '../../core/bytes.ts';
import type { CustodyRetrieved } from '../../worker/api/custody.ts';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { RetrievedSecret } from '../orders/RetrievedSecret.tsx';
import { createRetrieval } from '../orders/retrieval.ts';
import { ErrorNote, NodeButton } from '../ui/index.ts';
import { retrieveCustody } from './flow.ts';
import { NodeProgressList, type ProgressRow } from './NodeProgressList.tsx';
import { custodySummaryOf } from './summary.ts';

export const CustodyRetrieve: Component<{ readonly order: OrderRecord; readonly onDone: () => void }> = (props) => {
  const deps = useFlows();
  const [rows, setRows] = createSignal<ProgressRow[]>([]);
  const nameOf = (node: string) => custodySummaryOf(props.order)?.members.find((m) => m.identity === node);
  const { value, run, forget } = createRetrieval<CustodyRetrieved>(
    async () => {
      const s = custodySummaryOf(props.order)!;
      setRows(
        s.members
          .filter((m) => m.state === 'holds')
          .map((m) => ({ index: m.index, name: m.name, url: m.url, state: 'asked' })),
      );
      return retrieveCustody(deps, props.order.id, (p) => {
        const m = nameOf(p.node);
        if (!m || p.state === 'sent') return;
        setRows((all) =>
          all.map((r) =>
            r.index !== m.index ? r : { ...r, state: p.state, ...('reason' in p ? { reason: p.reason } : {}) },
          ),
        );
      });
    },
    (got) => wipe(got.secret),
    () => props.onDone(),
  );
  const liars = () => (value()?.wrong ?? []).map((w) => nameOf(w.node)?.name ?? w.node);
  return (
    <div class="stack">
      <Show
        when={value()}
        fallback={
          <NodeButton variant="primary" busy={run.pending()} onClick={() => void run.run()} data-testid="retrieve">
            Retrieve the secret from the nodes
          </NodeButton>
        }
      >
        {(got) => (
          <RetrievedSecret secret={got().secret} onForget={forget}>
            <p class="success" role="status">
              Recovered from shares {[...got().usedIndices].sort((a, b) => a - b).join(', ')}, each checked against the
              group's commitments.
            </p>
            <Show when={liars().length > 0}>
              <p class="field-error" data-testid="custody-liars">
                Wrong shares (these nodes lied):{' '}
                <For each={liars()}>
                  {(name, i) => (
                    <>
                      {i() > 0 ? ', ' : ''}
                      {name}
                    </>
                  )}
                </For>
              </p>
            </Show>
          </RetrievedSecret>
        )}
      </Show>
      <Show when={rows().length > 0 && !value()}>
        <NodeProgressList rows={rows()} testid="custody-retrieve-progress" />
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </div>
  );
};
