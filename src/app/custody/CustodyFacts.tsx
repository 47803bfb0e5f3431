/**
 * A custody group's rows on its order page: the group's CID, t of n, which node holds which share index and
 * what it answered (holds it, refused and why), what the last retrieval found (who gave a good share, who
 * lied, who was down), and for the principal: sending the orders again to the nodes that refused, the order ids
 * to give the beneficiary, and resharing.
 * @module
 */
import { type Component, createMemo, createSignal, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import type { OrderRecord } from '../orders/model.ts';
import { Button, CopyText, createAction, ErrorNote, formatTime } from '../ui/index.ts';
import { completeCustody } from './flow.ts';
import { NodeProgressList, type ProgressRow } from './NodeProgressList.tsx';
import { ReshareFact } from './ReshareFact.tsx';
import { type CustodySummary, custodySummaryOf, describeGroup, holding } from './summary.ts';
import { explainThreshold } from './threshold.ts';

const holdingRows = (s: CustodySummary): ProgressRow[] =>
  s.members.map((m) => ({
    index: m.index,
    name: m.name,
    url: m.url,
    state: m.state,
    order: m.order,
    ...(m.reason ? { reason: m.reason } : {}),
  }));

const answerRows = (s: CustodySummary): ProgressRow[] =>
  s.members.flatMap((m) =>
    m.answer
      ? [
          {
            index: m.index,
            name: m.name,
            url: m.url,
            state: m.answer.state,
            ...(m.answer.reason ? { reason: m.answer.reason } : {}),
          },
        ]
      : [],
  );

/** Sends the group's orders again; each node's progress shows while it runs. */
const CompleteGroup: Component<{ readonly order: OrderRecord; readonly onDone: (o: OrderRecord) => void }> = (
  props,
) => {
  const deps = useFlows();
  const [rows, setRows] = createSignal<ProgressRow[]>([]);
  const run = createAction(async () => {
    const s = custodySummaryOf(props.order)!;
    setRows(holdingRows(s).map((r) => (r.state === 'holds' ? r : { ...r, state: 'sent' })));
    const done = await completeCustody(deps, props.order.id, (p) =>
      setRows((all) =>
        all.map((r) =>
          r.index !== p.index || r.state === 'holds'
            ? r
            : {
                ...r,
                state: p.state === 'committed' ? 'holds' : p.state,
                ...('reason' in p ? { reason: p.reason } : {}),
              },
        ),
      ),
    );
    props.onDone(done);
  });
  return (
    <div class="stack">
      <Button busy={run.pending()} onClick={() => void run.run()} data-testid="custody-complete">
        Send the orders again to the nodes without a share
      </Button>
      <Show when={run.pending()}>
        <NodeProgressList rows={rows()} testid="custody-complete-progress" />
      </Show>
      <Show when={run.error()}>
        <ErrorNote error={run.error()} onDismiss={run.clear} />
      </Show>
    </div>
  );
};

export const CustodyFacts: Component<{ readonly order: OrderRecord }> = (props) => {
  const [fresh, setFresh] = createSignal<OrderRecord>();
  const current = () =>
    fresh()?.id === props.order.id && fresh()!.updated >= props.order.updated ? fresh()! : props.order;
  const summary = createMemo(() => custodySummaryOf(current()));
  const principal = () => current().principal === current().owner;
  return (
    <Show when={summary()}>
      {(s) => (
        <>
          <dt>Group</dt>
          <dd data-testid="custody-group">
            <CopyText value={s().group} label="group CID" />
          </dd>
          <dt>Threshold</dt>
          <dd data-testid="custody-threshold-fact" data-t={s().t} data-n={s().n} data-holding={holding(s())}>
            {describeGroup(s())}. {explainThreshold(s().t, s().n)}
          </dd>
          <dt>Shares</dt>
          <dd class="stack">
            <NodeProgressList rows={holdingRows(s())} testid="custody-members" />
            <Show when={principal() && s().deal && holding(s()) < s().n}>
              <CompleteGroup order={current()} onDone={setFresh} />
            </Show>
          </dd>
          <Show when={s().reshared?.length}>
            <dt>Reshared from</dt>
            <dd class="mono small" data-testid="custody-reshared-from">
              {s()
                .reshared!.map((r) => r.from)
                .join(', ')}
            </dd>
          </Show>
          <Show when={principal() && (s().document ?? s().deal) && holding(s()) >= s().t}>
            <ReshareFact order={current()} onDone={setFresh} />
          </Show>
          <Show when={principal() && current().beneficiary !== current().owner}>
            <dt>For the beneficiary</dt>
            <dd class="stack" data-testid="custody-for-beneficiary">
              <span class="small">
                They add the group on their own device (Threshold custody, then “Add it here”) with these orders:
              </span>
              <CopyText
                value={s()
                  .members.map((m) => `${m.order}@${m.identity}`)
                  .join(' ')}
                label="orders for the beneficiary"
              />
            </dd>
          </Show>
          <Show when={s().retrievedAt}>
            {(at) => (
              <>
                <dt>Last retrieval</dt>
                <dd class="stack">
                  <span class="small">{formatTime(at())}</span>
                  <NodeProgressList rows={answerRows(s())} testid="custody-answers" />
                </dd>
              </>
            )}
          </Show>
        </>
      )}
    </Show>
  );
};
