/**
 * The idle auto-lock time, in minutes (default 15): after that long without a click, key press or touch in the
 * app, the worker locks the identity and wipes its keys. Stored with the vault on this device.
 * @module
 */
import { type Component, createSignal, onMount, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { Button, createAction, ErrorNote, Field, fieldId } from '../ui/index.ts';

const MINUTE_MS = 60_000;

export const AutoLockSetting: Component = () => {
  const { vault } = useApp();
  const [minutes, setMinutes] = createSignal('');
  const [saved, setSaved] = createSignal<number | null>(null);
  const id = fieldId('auto-lock');
  onMount(() => {
    // On failure the field stays empty and Save says why.
    vault.autoLockMs().then(
      (ms) => setMinutes(String(ms / MINUTE_MS)),
      () => undefined,
    );
  });
  const save = createAction(async () => {
    const ms = await vault.setAutoLockMs(Math.round(Number(minutes()) * MINUTE_MS));
    setSaved(ms / MINUTE_MS);
  });
  return (
    <form
      class="stack"
      aria-label="Auto-lock"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <Field
        label="Lock after this many idle minutes"
        for={id}
        hint="With no click, key press or touch in the app for this long, the identity locks and its keys are wiped from memory."
      >
        <input
          id={id}
          type="number"
          inputmode="decimal"
          min="0.1"
          max="1440"
          step="any"
          required
          value={minutes()}
          onInput={(e) => {
            setMinutes(e.currentTarget.value);
            setSaved(null);
          }}
          aria-describedby={`${id}-hint`}
        />
      </Field>
      <div class="row">
        <Button type="submit" busy={save.pending()}>
          Save
        </Button>
      </div>
      <Show when={saved()}>
        {(m) => (
          <p class="success" role="status" data-testid="auto-lock-saved">
            Locks after {m()} idle minute{m() === 1 ? '' : 's'}.
          </p>
        )}
      </Show>
      <Show when={save.error()}>
        <ErrorNote error={save.error()} onDismiss={save.clear} />
      </Show>
    </form>
  );
};
