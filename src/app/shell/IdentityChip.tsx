/** The header's identity status: who is unlocked (a link to the identity screen), or "locked". @module */
import { type Component, Show } from 'solid-js';
import type { VaultStore } from '../keys/store.ts';
import { href } from './router.ts';

export const IdentityChip: Component<{ readonly vault: VaultStore }> = (props) => (
  <a class="identity-chip" href={href('/keys')} data-testid="identity-chip">
    <Show
      when={props.vault.current()}
      fallback={<span>{props.vault.state()?.identities.length ? 'Locked' : 'No identity'}</span>}
    >
      {(me) => (
        <>
          <span class="dot" aria-hidden="true" />
          <span class="sr-only">Unlocked: </span>
          <span class="chip-name">{me().name}</span>
        </>
      )}
    </Show>
  </a>
);
