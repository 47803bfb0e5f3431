/**
 * Adding a custody group you are named beneficiary of, on your own device: paste the order ids the principal's
 * group page lists; each is found among your nodes and checked (chain, group, principal's signature) before the
 * group is kept here, and its page opens, where you retrieve the secret.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { navigate } from '../shell/router.ts';
import { Card, createAction, ErrorNote, Field, fieldId, NodeButton, Page, Progress } from '../ui/index.ts';
import { importCustody } from './import.ts';

export const AddCustodyPage: Component = () => {
  const deps = useFlows();
  const [text, setText] = createSignal('');
  const id = fieldId('custody-orders');
  const run = createAction(async () => {
    const order = await importCustody(deps, text());
    navigate(`/orders/${order.id}`);
  });
  return (
    <Page
      title="Add a custody group"
      intro="For a group whose beneficiary you are: the principal gives you its orders (one per node, from the group's page)."
    >
      <IdentityGate>
        <Card>
          <form
            class="stack"
            aria-label="Add a custody group"
            onSubmit={(e) => {
              e.preventDefault();
              void run.run();
            }}
          >
            <Field
              label="The group's orders"
              for={id}
              hint="Separated by spaces or new lines. Add the group's nodes under Nodes first."
            >
              <textarea
                id={id}
                rows={4}
                class="mono"
                value={text()}
                onInput={(e) => setText(e.currentTarget.value)}
                autocomplete="off"
                spellcheck={false}
                data-testid="custody-import-orders"
              />
            </Field>
            <NodeButton
              type="submit"
              variant="primary"
              busy={run.pending()}
              disabled={!text().trim()}
              data-testid="custody-import-submit"
            >
              Add the group
            </NodeButton>
            <Show when={run.pending()}>
              <Progress label="Finding each order among your nodes and checking its chain and group…" />
            </Show>
            <Show when={run.error()}>
              <ErrorNote error={run.error()} onDismiss={run.clear} />
            </Show>
          </form>
        </Card>
      </IdentityGate>
    </Page>
  );
};
