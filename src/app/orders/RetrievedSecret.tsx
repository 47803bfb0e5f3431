/**
 * A retrieved secret on show (masked until revealed, with Copy): printable text as is, anything else as hex, with
 * the button that hides and wipes it. Above it, what the view says about how the secret was checked (`children`).
 * @module
 */
import type { Component, JSX } from 'solid-js';
import { secretText } from '../safeguard/secret-text.ts';
import { Button, SecretValue } from '../ui/index.ts';
import '../ui/text-wrap.css';

export const RetrievedSecret: Component<{
  readonly secret: Uint8Array;
  readonly onForget: () => void;
  readonly children: JSX.Element;
}> = (props) => {
  const shown = () => secretText(props.secret);
  return (
    <div class="stack" data-testid="retrieved">
      {props.children}
      <div data-encoding={shown().encoding}>
        <SecretValue value={shown().text} label="secret" testid="retrieved-secret" multiline />
      </div>
      <Button onClick={props.onForget} data-testid="forget-secret">
        Hide and forget
      </Button>
    </div>
  );
};
