/**
 * A button whose action talks to a node (retrieve, add a node, check its status, log in, order): while the browser
 * says it is offline it is disabled and says "You are offline" next to itself, rather than failing and blaming the
 * node's CORS setting. The browser's word is only a hint in the other direction (it may say online with no network):
 * then the request fails with its own readable error.
 * @module
 */
import { createUniqueId, type ParentComponent, Show, splitProps } from 'solid-js';
import { online } from '../pwa/online.ts';
import { Button, type ButtonProps } from './Button.tsx';

export const NodeButton: ParentComponent<ButtonProps> = (props) => {
  const [own, rest] = splitProps(props, ['disabled', 'children']);
  const reason = `offline-${createUniqueId()}`;
  return (
    <>
      <Button {...rest} disabled={own.disabled || !online()} aria-describedby={online() ? undefined : reason}>
        {own.children}
      </Button>
      <Show when={!online()}>
        <span class="reason" id={reason} data-testid="offline-reason">
          You are offline
        </span>
      </Show>
    </>
  );
};
