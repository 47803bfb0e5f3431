/**
 * The order page's "Release" card for an order with conditions: where the release stands in plain words, and for
 * the principal of an open order "Check in" (every node holding the order or a share starts its switch anew; each
 * node's answer and the new date show) and "Cancel release" (every node deletes the secret). Cancelling asks a
 * fresh confirmation first, as revealing a key does: the passkey, or the identity's name typed again. It guards
 * against a slip; a script on the page could sign a cancel through the worker as it can any order step.
 * @module
 */
import { type Component, createSignal, For, Show } from 'solid-js';
import { InputError } from '../../api/errors.ts';
import { useFlows } from '../../api/use.ts';
import { useApp } from '../../shell/context.tsx';
import { Button, Card, createAction, ErrorNote, NameConfirmField, NodeButton } from '../../ui/index.ts';
import type { OrderRecord } from '../model.ts';
import { type HolderProgress, type ReleaseStep, releaseStep } from './flow.ts';
import { ReleaseSummary } from './ReleaseSummary.tsx';
import { holdersOf, releaseInputOf } from './record.ts';
import { formatDay } from './words.ts';

/** Each node's answer to a check-in or a cancel, on one line. */
const ProgressList: Component<{ readonly rows: readonly (HolderProgress & { readonly name: string })[] }> = (props) => (
  <ul class="release-progress" data-testid="release-progress">
    <For each={props.rows}>
      {(r) => (
        <li data-testid="release-node" data-state={r.state}>
          {r.state === 'done' ? '✓' : r.state === 'refused' ? '✗' : '…'} {r.name}:{' '}
          {r.state === 'sent' ? 'asked' : r.state === 'done' ? `done at ${formatDay(r.at)}` : r.reason}
        </li>
      )}
    </For>
  </ul>
);

export const ReleasePanel: Component<{
  readonly order: OrderRecord;
  readonly me: string;
  /** Node names by identity CID (the nodes added in this app). */
  readonly nodes: ReadonlyMap<string, string>;
  readonly onChange: (o: OrderRecord) => void;
}> = (props) => {
  const deps = useFlows();
  const { vault } = useApp();
  const [rows, setRows] = createSignal<(HolderProgress & { name: string })[]>([]);
  const [typedName, setTypedName] = createSignal('');
  const [cancelling, setCancelling] = createSignal(false);
  const byPasskey = () => vault.active()?.protection === 'passkey';
  const nameOf = (identity: string) =>
    holdersOf(props.order).find((h) => h.identity === identity)?.name ?? props.nodes.get(identity) ?? identity;
  const run = async (step: ReleaseStep) => {
    setRows(holdersOf(props.order).map((h) => ({ node: h.identity, state: 'sent', name: nameOf(h.identity) })));
    const outcome = await releaseStep(deps, props.order.id, step, (p) =>
      setRows((all) => all.map((r) => (r.node === p.node ? { ...p, name: r.name } : r))),
    );
    props.onChange(outcome.order);
  };
  const checkIn = createAction(() => run('check-in'));
  const cancel = createAction(() =>
    vault.confirmed(typedName(), async (confirmation) => {
      // A passkey identity confirmed with its passkey just now; a device-key identity types its name again.
      if (!confirmation.prf && confirmation.name !== vault.current()?.name) {
        throw new InputError('confirmation', `type the identity's name, ${vault.current()?.name ?? ''}, to confirm`);
      }
      await run('cancel');
      setCancelling(false);
    }),
  );
  const principalOfOpen = () => props.order.principal === props.me && props.order.state === 'open';
  const hasSwitch = () => releaseInputOf(props.order)?.conditions.checkIn !== undefined;
  return (
    <Show when={releaseInputOf(props.order)}>
      <Card title="Release">
        <div class="stack" data-testid="release-panel">
          <ReleaseSummary order={props.order} me={props.me} now={Date.now()} />
          <Show when={principalOfOpen()}>
            <div class="row">
              <Show when={hasSwitch()}>
                <NodeButton
                  variant="primary"
                  busy={checkIn.pending()}
                  disabled={cancel.pending()}
                  onClick={() => void checkIn.run()}
                  data-testid="check-in"
                >
                  Check in
                </NodeButton>
              </Show>
              <Button
                variant="danger"
                disabled={checkIn.pending() || cancel.pending()}
                onClick={() => setCancelling(!cancelling())}
                aria-expanded={cancelling()}
                data-testid="cancel-release"
              >
                Cancel release
              </Button>
            </div>
          </Show>
          <Show when={cancelling() && principalOfOpen()}>
            <div class="stack" data-testid="cancel-confirm">
              <p class="release-reminder">
                Cancelling tells every node to delete the secret. Nobody can retrieve it afterwards, not the beneficiary
                and not you; this cannot be undone.
              </p>
              <Show when={!byPasskey()}>
                <NameConfirmField
                  label="The identity's name, to confirm"
                  value={typedName()}
                  onInput={setTypedName}
                  testId="cancel-name"
                />
              </Show>
              <NodeButton
                variant="danger"
                busy={cancel.pending()}
                onClick={() => void cancel.run()}
                data-testid="cancel-release-confirm"
              >
                Delete the secret at every node
              </NodeButton>
            </div>
          </Show>
          <Show when={rows().length > 0}>
            <ProgressList rows={rows()} />
          </Show>
          <Show when={checkIn.error()}>
            <ErrorNote error={checkIn.error()} onDismiss={checkIn.clear} />
          </Show>
          <Show when={cancel.error()}>
            <ErrorNote error={cancel.error()} onDismiss={cancel.clear} />
          </Show>
        </div>
      </Card>
    </Show>
  );
};
