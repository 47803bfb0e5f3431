/**
 * Nodes: add one by URL (its discovery document and identity, verified; the fingerprint shown to compare
 * with the operator's), see each node's status, check its identity over the in-browser IPFS node, remove it.
 * @module
 */
import { type Component, createSignal, For, Index, onMount, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { online } from '../pwa/index.ts';
import {
  Button,
  Card,
  CopyText,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  formatTime,
  NodeButton,
  Page,
  Progress,
} from '../ui/index.ts';
import type { NodeRecord } from './model.ts';
import { nodesStoreOf } from './store.ts';

const StatusLine: Component<{ readonly node: NodeRecord }> = (props) => (
  <Show
    when={props.node.status}
    fallback={
      <span class="muted" data-testid="node-status" data-status="unknown">
        Status not checked yet
      </span>
    }
  >
    {(s) => (
      <Show
        when={s().reachable}
        fallback={
          <span class="field-error" data-testid="node-status" data-status="down">
            Unreachable ({formatTime(s().at)}): {s().error}
          </span>
        }
      >
        <span
          data-testid="node-status"
          data-status={s().identityMatches ? 'up' : 'changed'}
          class={s().identityMatches ? 'success' : 'field-error'}
        >
          {s().identityMatches ? 'Online' : 'Online, but presents another identity!'} · version {s().version} · up{' '}
          {Math.round(s().uptime ?? 0)} s · {s().peers} peer(s) · checked {formatTime(s().at)}
        </span>
      </Show>
    )}
  </Show>
);

const NodeItem: Component<{ readonly node: NodeRecord }> = (props) => {
  const store = nodesStoreOf(useFlows());
  const check = createAction(() => store.check(props.node.url));
  const ipfs = createAction(() => store.verifyIpfs(props.node.url));
  const remove = createAction(async () => {
    await store.remove(props.node.url);
    setConfirm(false);
  });
  const [confirm, setConfirm] = createSignal(false);
  return (
    <li class="card stack" data-testid="node-item" data-node-url={props.node.url}>
      <h2 data-testid="node-name">{props.node.name}</h2>
      <dl class="facts">
        <dt>URL</dt>
        <dd class="mono" data-testid="node-url">
          {props.node.url}
        </dd>
        <dt>Fingerprint</dt>
        <dd class="mono" data-testid="node-fingerprint">
          {props.node.fingerprint}
        </dd>
        <dt>Identity</dt>
        <dd data-testid="node-identity">
          <CopyText value={props.node.identity} label="node identity CID" />
        </dd>
        <dt>Services</dt>
        <dd data-testid="node-plugins">{props.node.plugins.join(', ') || 'none'}</dd>
        <dt>Status</dt>
        <dd>
          <StatusLine node={props.node} />
        </dd>
        <dt>Over IPFS</dt>
        <dd>
          <Show
            when={props.node.ipfs}
            fallback={
              <span class="muted" data-testid="node-ipfs" data-verified="unknown">
                not checked
              </span>
            }
          >
            {(i) => (
              <span
                data-testid="node-ipfs"
                data-verified={String(i().verified)}
                class={i().verified ? 'success' : 'field-error'}
              >
                {i().verified
                  ? '✓ identity document fetched by CID over IPFS and verified'
                  : '✗ not obtained over IPFS'}{' '}
                ({formatTime(i().at)})
              </span>
            )}
          </Show>
        </dd>
      </dl>
      <div class="row">
        <NodeButton onClick={() => void check.run()} busy={check.pending()} data-testid="node-check">
          Check status
        </NodeButton>
        <NodeButton onClick={() => void ipfs.run()} busy={ipfs.pending()} data-testid="node-ipfs-verify">
          Verify over IPFS
        </NodeButton>
        <Show
          when={!confirm()}
          fallback={
            <span class="confirm">
              Remove this node?{' '}
              <Button
                variant="danger"
                busy={remove.pending()}
                onClick={() => void remove.run()}
                data-testid="node-remove-confirm"
              >
                Remove
              </Button>
              <Button variant="link" onClick={() => setConfirm(false)}>
                Keep
              </Button>
            </span>
          }
        >
          <Button variant="danger" onClick={() => setConfirm(true)} data-testid="node-remove">
            Remove
          </Button>
        </Show>
      </div>
      <Show when={ipfs.pending()}>
        <Progress label="Starting the in-browser IPFS node and fetching the identity by CID…" />
      </Show>
      <For each={[check, ipfs, remove]}>
        {(a) => (
          <Show when={a.error()}>
            <ErrorNote error={a.error()} onDismiss={a.clear} />
          </Show>
        )}
      </For>
    </li>
  );
};

/**
 * The page's own origin, the example address of the form: the node's own when a node serves the app, under the
 * very name the page came from (same origin: no CORS to configure). Not probed: a request to a server that is no
 * node would only fail, and say so in the console.
 */
function pageOrigin(): string | undefined {
  return typeof location !== 'undefined' && /^https?:$/.test(location.protocol) ? location.origin : undefined;
}

const AddNodeForm: Component = () => {
  const store = nodesStoreOf(useFlows());
  const example = pageOrigin();
  const [url, setUrl] = createSignal('');
  const [warnings, setWarnings] = createSignal<readonly string[]>([]);
  const [changed, setChanged] = createSignal(false);
  const [added, setAdded] = createSignal<NodeRecord>();
  const id = fieldId('node-url');
  const add = createAction(async (replace: boolean) => {
    setWarnings([]);
    setAdded(undefined);
    try {
      const r = await store.add(url(), { replace });
      setWarnings(r.warnings);
      setAdded(r.node);
      setChanged(false);
      setUrl('');
    } catch (e) {
      setChanged(e instanceof Error && e.name === 'IdentityChangedError');
      throw e;
    }
  });
  return (
    <form
      class="stack"
      aria-label="Add a node"
      onSubmit={(e) => {
        e.preventDefault();
        void add.run(false);
      }}
    >
      <Field
        label="Node URL"
        for={id}
        hint={
          example
            ? `The node's address: ${example} when a node serves this app, else the one its operator gives you. ` +
              'Its identity is read from /.well-known/dta and verified.'
            : "The node's address, e.g. http://127.0.0.1:5556. Its identity is read from /.well-known/dta and verified."
        }
      >
        <input
          id={id}
          type="url"
          inputmode="url"
          required
          value={url()}
          onInput={(e) => setUrl(e.currentTarget.value)}
          placeholder={example ?? 'http://127.0.0.1:5556'}
          aria-describedby={`${id}-hint`}
          data-testid="node-url-input"
        />
      </Field>
      <div class="row">
        <NodeButton
          type="submit"
          variant="primary"
          busy={add.pending()}
          disabled={!url().trim()}
          data-testid="node-add"
        >
          Add node
        </NodeButton>
        <Show when={changed()}>
          <Button variant="danger" onClick={() => void add.run(true)} data-testid="node-replace">
            Accept the new identity
          </Button>
        </Show>
      </div>
      <Show when={add.pending()}>
        <Progress label="Reading the node's discovery document and verifying its identity…" />
      </Show>
      <Show when={added()}>
        {(n) => (
          <p class="success" role="status" data-testid="node-added">
            Added {n().name}. Fingerprint <code>{n().fingerprint}</code>: compare it with the one the node's operator
            gives you.
          </p>
        )}
      </Show>
      <For each={warnings()}>
        {(w) => (
          <p class="hint" data-testid="node-warning">
            {w}
          </p>
        )}
      </For>
      <Show when={add.error()}>
        <ErrorNote error={add.error()} onDismiss={add.clear} />
      </Show>
    </form>
  );
};

export const NodesPage: Component = () => {
  const store = nodesStoreOf(useFlows());
  // The status of every node when the screen opens (online only; each check is bounded and stored).
  onMount(async () => {
    await store.refresh();
    if (online()) await Promise.allSettled(store.nodes().map((n) => store.check(n.url)));
  });
  return (
    <Page
      title="Nodes"
      intro="The fiduciary nodes you trust. Each one is known by its identity: check its fingerprint with its operator."
    >
      <IdentityGate>
        <Card title="Add a node">
          <AddNodeForm />
        </Card>
        <Show when={store.loaded()} fallback={<Progress label="Reading your nodes…" />}>
          <Show
            when={store.nodes().length > 0}
            fallback={
              <p class="muted" data-testid="nodes-empty">
                No nodes yet.
              </p>
            }
          >
            <ul class="plain-list stack" data-testid="node-list">
              {/* Index: a refresh re-reads the records; each item (its pending actions and errors) stays. */}
              <Index each={store.nodes()}>{(n) => <NodeItem node={n()} />}</Index>
            </ul>
          </Show>
        </Show>
      </IdentityGate>
    </Page>
  );
};
