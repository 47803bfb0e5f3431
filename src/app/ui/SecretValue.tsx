/**
 * A secret on screen (a retrieved secret, a private key as WIF or hex): masked until the person asks to see it,
 * so it is not read over a shoulder or caught by a screenshot by default, with a Reveal/Hide toggle and a Copy
 * button that works without revealing it. The value is not in the page's DOM while masked. `warning` is said
 * when it is revealed (for a Bitcoin key: whoever has it can spend the coins). `value` may be a function, for
 * a secret the worker hands over only when asked.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { describeError } from './errors.ts';
import './secret-value.css';

type SecretSource = string | (() => Promise<string>);

const MASK = '••••••••••••••••';

export const SecretValue: Component<{
  readonly value: SecretSource;
  /** What it is, for the buttons' accessible names ("Reveal private key (WIF)"). */
  readonly label: string;
  readonly warning?: string;
  /** data-testid of the revealed value; the buttons get `<testid>-reveal` and `<testid>-copy`. */
  readonly testid: string;
  /** Text with line breaks (a typed secret): kept as typed. */
  readonly multiline?: boolean;
}> = (props) => {
  const [shown, setShown] = createSignal<string>();
  const [note, setNote] = createSignal('');
  const read = async () => (typeof props.value === 'string' ? props.value : props.value());
  /** The value, or undefined with the reason said (a secret from the worker may be refused: not confirmed). */
  const readOrSay = async (): Promise<string | undefined> => {
    try {
      return await read();
    } catch (e) {
      setNote(describeError(e).message);
      return undefined;
    }
  };
  const toggle = async () => {
    if (shown() !== undefined) return setShown(undefined);
    const value = await readOrSay();
    if (value !== undefined) setNote('');
    setShown(value);
  };
  const copy = async () => {
    const value = await readOrSay();
    if (value === undefined) return;
    try {
      await navigator.clipboard.writeText(value);
      setNote('Copied');
    } catch {
      setNote('Could not copy: reveal it and select the text');
    }
    setTimeout(() => setNote(''), 2500);
  };
  return (
    <div class="secret-value">
      <div class="secret-box">
        <Show
          when={shown()}
          fallback={
            <span class="secret-mask" data-testid={`${props.testid}-masked`}>
              <span aria-hidden="true">{MASK}</span>
              <span class="sr-only">hidden</span>
            </span>
          }
        >
          {(s) => (
            <pre class={`mono secret-text ${props.multiline ? 'secret-multiline' : ''}`} data-testid={props.testid}>
              {s()}
            </pre>
          )}
        </Show>
      </div>
      <div class="secret-actions">
        <button
          type="button"
          class="btn"
          aria-label={`${shown() === undefined ? 'Reveal' : 'Hide'} ${props.label}`}
          onClick={() => void toggle()}
          data-testid={`${props.testid}-reveal`}
        >
          {shown() === undefined ? 'Reveal' : 'Hide'}
        </button>
        <button
          type="button"
          class="btn"
          aria-label={`Copy ${props.label}`}
          onClick={() => void copy()}
          data-testid={`${props.testid}-copy`}
        >
          Copy
        </button>
        <span class="small muted" role="status">
          {note()}
        </span>
      </div>
      <Show when={props.warning && shown() !== undefined}>
        <p class="secret-warning" data-testid={`${props.testid}-warning`}>
          <strong>Careful:</strong> {props.warning}
        </p>
      </Show>
    </div>
  );
};
