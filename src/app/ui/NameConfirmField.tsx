/**
 * The identity's name typed again, the confirmation asked for a grave step (a key revealed, a backup exported, a
 * release cancelled) when the identity has no passkey to ask (docs/protocol.md, "The app's vault").
 * @module
 */
import type { Component } from 'solid-js';
import { Field, fieldId } from './Field.tsx';

export const NameConfirmField: Component<{
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly hint?: string;
  readonly testId?: string;
}> = (props) => {
  const id = fieldId('confirm-name');
  return (
    <Field label={props.label} for={id} hint={props.hint}>
      <input
        id={id}
        type="text"
        autocomplete="off"
        spellcheck={false}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
      />
    </Field>
  );
};
