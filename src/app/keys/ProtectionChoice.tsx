/**
 * What seals an identity's keys on this device, chosen when it is created or imported: a passkey first (and by
 * default when the browser reports an authenticator that can do it), so the keys are never sealed under a device
 * key; the device key only when the person chooses it or passkeys cannot work here. @module
 */
import { type Accessor, type Component, createSignal, onMount, Show } from 'solid-js';
import { passkeyByDefault, passkeyProblem } from './webauthn.ts';

export type Protection = 'passkey' | 'device';

export interface ProtectionState {
  readonly value: Accessor<Protection>;
  /** The person's choice; a choice made is never overridden by the default found later. */
  choose(p: Protection): void;
}

/** The choice's state, starting at the device key until the browser says a passkey can work. */
export function createProtection(): ProtectionState {
  const [value, setValue] = createSignal<Protection>('device');
  let chosen = false;
  onMount(() => {
    void passkeyByDefault().then((yes) => {
      if (yes && !chosen) setValue('passkey');
    });
  });
  return {
    value,
    choose(p) {
      chosen = true;
      setValue(p);
    },
  };
}

export const ProtectionChoice: Component<{ readonly state: ProtectionState }> = (props) => {
  const problem = passkeyProblem();
  return (
    <fieldset class="stack" data-testid="identity-protection">
      <legend>Protect the keys with</legend>
      <label>
        <input
          type="radio"
          name="protection"
          value="passkey"
          disabled={!!problem}
          checked={props.state.value() === 'passkey'}
          onChange={() => props.state.choose('passkey')}
        />{' '}
        A passkey (recommended): unlocking needs your fingerprint, face, PIN or security key
      </label>
      <label>
        <input
          type="radio"
          name="protection"
          value="device"
          checked={props.state.value() === 'device'}
          onChange={() => props.state.choose('device')}
        />{' '}
        This browser only: anyone with a copy of this browser's files can open the keys
      </label>
      <Show when={problem}>
        <p class="muted">Passkeys are not available here: {problem}.</p>
      </Show>
    </fieldset>
  );
};
