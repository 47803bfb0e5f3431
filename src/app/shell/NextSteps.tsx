/**
 * The guided first run on Home: after the identity, the steps that make it safe and useful, each ticked once
 * done, each one left with its action (the first marked as the current step). Storage persistence is asked
 * for here, once, as soon as an identity exists; the node serving this app is added in one click. The card
 * goes away when every step is done.
 * @module
 */
import { type Component, createEffect, createSignal, For, type JSX, Show } from 'solid-js';
import { NotReadyError } from '../api/errors.ts';
import { useFlows } from '../api/use.ts';
import { nodesStoreOf } from '../nodes/store.ts';
import { createOrdersStore } from '../orders/store.ts';
import { Card, createAction, ErrorNote, NodeButton } from '../ui/index.ts';
import { useApp } from './context.tsx';
import './first-run.css';
import { backedUp, type Persistence, persistence, requestPersistence, servingNode } from './first-run.ts';
import { href } from './router.ts';

interface Step {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly action: () => JSX.Element;
}

const StepLink: Component<{ readonly path: string; readonly label: string }> = (props) => (
  <a class="btn btn-primary" href={href(props.path)}>
    {props.label}
  </a>
);

export const NextSteps: Component = () => {
  const { vault } = useApp();
  const deps = useFlows();
  const nodes = nodesStoreOf(deps);
  const orders = createOrdersStore(deps);
  const me = () => vault.current()?.cid;
  const [kept, setKept] = createSignal<Persistence>();
  createEffect(() => {
    const cid = me();
    if (!cid) return;
    void nodes.refresh();
    void orders.refresh(cid);
    // Asked once the identity exists: from here on the device holds keys worth keeping.
    void persistence().then(async (p) => setKept(p === 'not-asked' ? await requestPersistence() : p));
  });
  const askAgain = createAction(async () => setKept(await requestPersistence()));
  // Probed on the click, not in the background: a page from a plain web server answers the probe with a 404,
  // which the browser reports as an error on every start.
  const addServing = createAction(async () => {
    const node = await servingNode();
    if (!node) throw new NotReadyError('this page does not come from a node: add your node by its address');
    await nodes.add(node.url);
  });
  const nodeAction = () => (
    <>
      <NodeButton
        variant="primary"
        busy={addServing.pending()}
        onClick={() => void addServing.run()}
        data-testid="add-serving-node"
      >
        Add the node serving this app
      </NodeButton>
      <Show when={addServing.error()}>
        <ErrorNote error={addServing.error()} onDismiss={addServing.clear} />
        <StepLink path="/nodes" label="Add a node by its address" />
      </Show>
    </>
  );
  const steps = (): Step[] => [
    {
      id: 'persist',
      title: "Keep this app's data on this device",
      done: kept() !== undefined && kept() !== 'not-asked', // refused: asked; the warning stays below
      action: () => (
        <>
          <p class="small" data-testid="persist-refused">
            The browser did not promise to keep this app's storage: when space runs low it may delete your keys. Save a
            backup; installing the app usually makes the browser keep its data.
          </p>
          <button type="button" class="btn btn-secondary" onClick={() => void askAgain.run()}>
            Ask again
          </button>
        </>
      ),
    },
    {
      id: 'backup',
      title: 'Save a backup of your identity',
      done: !!me() && backedUp(me()!),
      action: () => <StepLink path="/keys/backup" label="Export a backup" />,
    },
    { id: 'node', title: 'Add a node', done: nodes.nodes().length > 0, action: nodeAction },
    {
      id: 'order',
      title: 'Place your first order',
      done: orders.orders().length > 0,
      action: () => <StepLink path="/orders/new" label="Safeguard a secret" />,
    },
  ];
  const ready = () => kept() !== undefined && nodes.loaded() && orders.loaded();
  const next = () => steps().find((s) => !s.done)?.id;
  return (
    <Show when={ready() && next()}>
      <Card title="Next step">
        <ol class="next-steps" data-testid="next-steps">
          <For each={steps()}>
            {(s) => (
              <li
                data-testid={`step-${s.id}`}
                data-done={String(s.done)}
                aria-current={next() === s.id ? 'step' : undefined}
              >
                <span class={s.done ? 'muted' : ''}>
                  {s.done ? (s.id === 'persist' && kept() === 'refused' ? '⚠ ' : '✓ ') : ''}
                  {s.title}
                </span>
                <Show when={!s.done || (s.id === 'persist' && kept() === 'refused')}>
                  <div class="stack">{s.action()}</div>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Card>
    </Show>
  );
};
