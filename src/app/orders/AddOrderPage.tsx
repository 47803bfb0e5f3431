/**
 * "Add an order", opened from a principal's share link (`#/orders/add?order=…&node=…&kind=…`): the import form
 * filled in; when the order's node is not in this app yet, adding it comes first, in one click.
 * @module
 */
import { type Component, createResource, Show } from 'solid-js';
import { normalizeNodeUrl } from '../api/node-api.ts';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { nodesStoreOf } from '../nodes/store.ts';
import { navigate, useLocation } from '../shell/router.ts';
import { Card, createAction, ErrorNote, NodeButton, Page } from '../ui/index.ts';
import { ImportForm } from './OrdersPage.tsx';
import { sharedOrderOf } from './share-link.ts';

function normalized(url: string | undefined): string | undefined {
  try {
    return url ? normalizeNodeUrl(url) : undefined;
  } catch {
    return undefined; // not a node URL: the form asks for one
  }
}

export const AddOrderPage: Component = () => {
  const nodes = nodesStoreOf(useFlows());
  const shared = () => sharedOrderOf(useLocation()().query);
  const node = () => normalized(shared().node);
  const [loaded] = createResource(() => nodes.refresh().then(() => true));
  const known = () => nodes.nodes().some((n) => n.url === node());
  const add = createAction(async () => {
    const url = node();
    if (url) await nodes.add(url);
  });
  return (
    <Page title="Add an order" intro="An order someone placed for you: read from its node, checked, kept here.">
      <IdentityGate>
        <Show when={loaded() && node() && !known()}>
          <Card title="First, its node">
            <p>
              The order is on <code class="mono">{node()}</code>, a node not in this app yet. Adding it reads and checks
              its identity and registers yours with it.
            </p>
            <NodeButton
              variant="primary"
              busy={add.pending()}
              onClick={() => void add.run()}
              data-testid="add-shared-node"
            >
              Add this node
            </NodeButton>
            <Show when={add.error()}>
              <ErrorNote error={add.error()} onDismiss={add.clear} />
            </Show>
          </Card>
        </Show>
        <Show when={loaded() && (!node() || known())}>
          <Card title="The order">
            <ImportForm
              initial={{ ...shared(), ...(node() ? { node: node() } : {}), id: shared().order ?? '' }}
              onDone={(id) => navigate(`/orders/${id}`)}
            />
          </Card>
        </Show>
      </IdentityGate>
    </Page>
  );
};
