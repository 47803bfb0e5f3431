/**
 * A choice of several of the added nodes that offer custody, each with a checkbox, kept in the order the nodes
 * were added (a group's share order): at first every such node is chosen, or the `initial` ones (a group's
 * current committee when resharing), until the person changes the choice.
 * @module
 */
import { type Component, createEffect, For, onMount, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { hasPlugin } from '../nodes/model.ts';
import { nodesStoreOf } from '../nodes/store.ts';
import { href } from '../shell/router.ts';

export const NodeChoice: Component<{
  readonly chosen: readonly string[];
  readonly onChange: (urls: string[]) => void;
  readonly initial?: readonly string[];
  readonly legend?: string;
}> = (props) => {
  const store = nodesStoreOf(useFlows());
  const offering = () => store.nodes().filter((n) => hasPlugin(n, 'custody'));
  let touched = false;
  onMount(() => void store.refresh());
  createEffect(() => {
    const urls = offering().map((n) => n.url);
    if (touched || urls.length === 0) return;
    props.onChange(props.initial ? urls.filter((u) => props.initial!.includes(u)) : urls);
  });
  const toggle = (url: string, on: boolean) => {
    touched = true;
    const next = on ? [...props.chosen, url] : props.chosen.filter((u) => u !== url);
    props.onChange(offering().flatMap((n) => (next.includes(n.url) ? [n.url] : [])));
  };
  return (
    <fieldset class="stack">
      <legend>{props.legend ?? 'Nodes'}</legend>
      <Show
        when={offering().length > 0}
        fallback={
          <p class="hint" data-testid="no-nodes">
            No node of yours offers “custody”: <a href={href('/nodes')}>add some under Nodes</a>.
          </p>
        }
      >
        <For each={offering()}>
          {(n) => (
            <label>
              <input
                type="checkbox"
                checked={props.chosen.includes(n.url)}
                onChange={(e) => toggle(n.url, e.currentTarget.checked)}
                data-testid="custody-node-choice"
                data-node-url={n.url}
              />{' '}
              {n.name} <span class="muted small mono">{n.url}</span>
            </label>
          )}
        </For>
      </Show>
    </fieldset>
  );
};
