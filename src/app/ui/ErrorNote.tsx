/** An error shown where it happened: a readable sentence, the technical detail on demand, and a way out. @module */
import { type Component, Show } from 'solid-js';
import { describeError } from './errors.ts';

export const ErrorNote: Component<{
  readonly error: unknown;
  readonly onDismiss?: () => void;
  readonly onRetry?: () => void;
}> = (props) => {
  const described = () => describeError(props.error);
  return (
    <div class="error-note" role="alert" data-error={described().detail.split(':')[0]}>
      <p class="error-message">{described().message}</p>
      <details>
        <summary>Details</summary>
        <code>{described().detail}</code>
      </details>
      <div class="row">
        <Show when={props.onRetry}>
          <button type="button" class="btn btn-secondary" onClick={() => props.onRetry?.()}>
            Try again
          </button>
        </Show>
        <Show when={props.onDismiss}>
          <button type="button" class="btn btn-link" onClick={() => props.onDismiss?.()}>
            Dismiss
          </button>
        </Show>
      </div>
    </div>
  );
};
