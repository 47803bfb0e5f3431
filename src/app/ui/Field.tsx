/** A labelled form control with an optional hint, wired with ids for assistive technology. @module */
import { createUniqueId, type JSX, type ParentComponent, Show } from 'solid-js';

export const Field: ParentComponent<{ readonly label: string; readonly hint?: string; readonly for?: string }> = (
  props,
) => (
  <div class="field">
    <label for={props.for}>{props.label}</label>
    {props.children}
    <Show when={props.hint}>
      <p class="hint" id={props.for ? `${props.for}-hint` : undefined}>
        {props.hint}
      </p>
    </Show>
  </div>
);

/** A fresh id for a Field and its control. */
export function fieldId(prefix: string): string {
  return `${prefix}-${createUniqueId()}`;
}

export type InputProps = JSX.InputHTMLAttributes<HTMLInputElement>;
