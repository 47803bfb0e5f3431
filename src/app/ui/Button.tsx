/** A button that shows progress: while `busy`, it is disabled, says so to screen readers and shows a spinner. @module */
import { type JSX, type ParentComponent, Show, splitProps } from 'solid-js';

export type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  readonly busy?: boolean;
  readonly variant?: 'primary' | 'secondary' | 'danger' | 'link';
};

export const Button: ParentComponent<ButtonProps> = (props) => {
  const [own, rest] = splitProps(props, ['busy', 'variant', 'children', 'disabled', 'type', 'class']);
  return (
    <button
      {...rest}
      type={own.type ?? 'button'}
      class={`btn btn-${own.variant ?? 'secondary'} ${own.class ?? ''}`}
      disabled={own.disabled || own.busy}
      aria-busy={own.busy ? 'true' : undefined}
    >
      <Show when={own.busy}>
        <span class="spinner" aria-hidden="true" />
      </Show>
      {own.children}
    </button>
  );
};
