/** A choice of one of the added nodes offering `plugin` (for the order forms). @module */
import { type Component, createEffect, For, onMount, Show } from 'solid-js';
import { useFlows } from '../api/use.ts';
import { href } from '../shell/router.ts';
import { Field, fieldId } from '../ui/index.ts';
import { hasPlugin } from './model.ts';
import { nodesStoreOf } from './store.ts';

export const NodeSelect: Component<{
  readonly plugin: string;
  readonly value: string;
  readonly onChange: (url: string) => void;
  readonly testid?: string;
}> = (props) => {
  const store = nodesStoreOf(useFlows());
  const id = fieldId('node');
  const offering = () => store.nodes().filter((n) => hasPlugin(n, props.plugin));
  onMount(() => void store.refresh());
  createEffect(() => {
    const list = offering();
    if (list.length > 0 && !list.some((n) => n.url === props.value)) props.onChange(list[0]!.url);
  });
  return (
    <Show
      when={offering().length > 0}
      fallback={
        <p class="hint" data-testid="no-nodes">
          No node of yours offers “{props.plugin}”: <a href={href('/nodes')}>add one under Nodes</a>.
        </p>
      }
    >
      <Field label="Node" for={id}>
        <select
          id={id}
          value={props.value}
          onChange={(e) => props.onChange(e.currentTarget.value)}
          data-testid={props.testid ?? 'node-select'}
        >
          <For each={offering()}>
            {(n) => (
              <option value={n.url}>
                {n.name} — {n.url} ({n.fingerprint})
              </option>
            )}
          </For>
        </select>
      </Field>
    </Show>
  );
};
