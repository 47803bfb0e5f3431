/**
 * Resharing from a custody group's order page (the principal's, on the device that dealt or last reshared it):
 * choose the new committee (the current one at first: a refresh of the same nodes) and t', then each phase's
 * progress shows (old holders dealing, new nodes taking their share, old holders deleting theirs), with every
 * node that failed named. The group is never put together; the page then shows the new group.
 * @module
 */
import { type Component, createEffect, createSignal, For, on, Show } from 'solid-js';
import type { ReshareProgress } from '../../plugins/custody/reshare-run.ts';
import { useFlows } from '../api/use.ts';
import { nodesStoreOf } from '../nodes/store.ts';
import type { OrderRecord } from '../orders/model.ts';
import { Button, createAction, ErrorNote, Field, fieldId } from '../ui/index.ts';
import { NodeChoice } from './NodeChoice.tsx';
import { reshareCustody } from './reshare.ts';
import { custodySummaryOf } from './summary.ts';
import { defaultThreshold, explainThreshold } from './threshold.ts';

const STEPS: Readonly<Record<ReshareProgress['step'], string>> = Object.freeze({
  deal: 'Old holders dealing their shares to the new nodes',
  place: 'New nodes checking and keeping their share',
  confirm: 'Old holders deleting their shares',
});

type Phases = Partial<Record<ReshareProgress['step'], { done: number; of: number }>>;

export const ReshareFact: Component<{ readonly order: OrderRecord; readonly onDone: (o: OrderRecord) => void }> = (
  props,
) => {
  const deps = useFlows();
  const store = nodesStoreOf(deps);
  const current = () => custodySummaryOf(props.order)?.members.map((m) => m.url) ?? [];
  const [nodes, setNodes] = createSignal<string[]>([]);
  const [t, setT] = createSignal(1);
  const [phases, setPhases] = createSignal<Phases>({});
  const [failed, setFailed] = createSignal<{ node: string; reason: string }[]>([]);
  const [note, setNote] = createSignal('');
  createEffect(
    on(
      () => nodes().length,
      (n) => setT(defaultThreshold(n)),
    ),
  );
  const tId = fieldId('reshare-threshold');
  const nameOf = (identity: string) => store.nodes().find((n) => n.identity === identity)?.name ?? identity;
  const run = createAction(async () => {
    setPhases({});
    setFailed([]);
    setNote('');
    const { order, result } = await reshareCustody(deps, props.order.id, { nodes: nodes(), t: t() }, (p) => {
      setPhases((all) => ({ ...all, [p.step]: { done: p.done, of: p.of } }));
      if (p.failed) setFailed((all) => [...all, p.failed!]);
    });
    const left = result.unconfirmed.map((u) => nameOf(u.node));
    setNote(
      left.length === 0
        ? 'Reshared: every old holder deleted its share.'
        : `Reshared. Not told yet to delete their (now useless) share: ${left.join(', ')}.`,
    );
    props.onDone(order);
  });
  return (
    <>
      <dt>Resharing</dt>
      <dd>
        <details data-testid="custody-reshare">
          <summary>Move the group to other nodes, or refresh its shares</summary>
          <div class="stack">
            <p class="small">
              The nodes that hold a share deal it afresh to the nodes chosen here; the secret is never put together.
            </p>
            <NodeChoice chosen={nodes()} onChange={setNodes} initial={current()} legend="New committee" />
            <Field label="New threshold t" for={tId} hint={explainThreshold(t(), Math.max(nodes().length, t()))}>
              <input
                id={tId}
                type="number"
                min={1}
                max={Math.max(1, nodes().length)}
                value={t()}
                onInput={(e) => setT(Number(e.currentTarget.value))}
                data-testid="custody-reshare-threshold"
              />
            </Field>
            <Button
              busy={run.pending()}
              disabled={nodes().length === 0}
              onClick={() => void run.run()}
              data-testid="custody-reshare-submit"
            >
              Reshare to these {nodes().length} nodes, {t()} of {nodes().length}
            </Button>
            <ul class="plain-list small" data-testid="custody-reshare-progress" aria-live="polite">
              <For each={Object.entries(phases()) as [ReshareProgress['step'], { done: number; of: number }][]}>
                {([step, p]) => (
                  <li data-step={step}>
                    {STEPS[step]}: {p.done} of {p.of}
                  </li>
                )}
              </For>
              <For each={failed()}>
                {(f) => (
                  <li class="field-error" data-testid="custody-reshare-failed">
                    {nameOf(f.node)}: {f.reason}
                  </li>
                )}
              </For>
            </ul>
            <Show when={note()}>
              <p class="success" role="status" data-testid="custody-reshared">
                {note()}
              </p>
            </Show>
            <Show when={run.error()}>
              <ErrorNote error={run.error()} onDismiss={run.clear} />
            </Show>
          </div>
        </details>
      </dd>
    </>
  );
};
