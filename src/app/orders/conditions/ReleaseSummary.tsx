/**
 * A conditional release on its order page: its state in one plain sentence ("Releases on 3 March 2027 at 09:41
 * unless you check in"), the conditions the principal signed, and for the principal a reminder when the switch's
 * deadline is near. Drawn from the stored record alone, so it reads offline.
 * @module
 */
import { type Component, For, Show } from 'solid-js';
import './release.css';
import type { OrderRecord } from '../model.ts';
import { partyName } from '../PartyName.tsx';
import { releaseInputOf } from './record.ts';
import { checkInDue, releaseOf } from './release.ts';
import { conditionLines, type Reader, releaseWords } from './words.ts';

/** Who reads the record: its principal, or the beneficiary naming the principal as its verified document does. */
function readerOf(o: OrderRecord, me: string): Reader {
  if (o.principal === me) return { principal: true };
  const name = partyName(o, o.principal, me);
  return name ? { principal: false, principalName: name } : { principal: false };
}

export const ReleaseSummary: Component<{ readonly order: OrderRecord; readonly me: string; readonly now: number }> = (
  props,
) => {
  const input = () => releaseInputOf(props.order);
  const reader = () => readerOf(props.order, props.me);
  return (
    <Show when={input()}>
      {(i) => {
        const release = () => releaseOf(i(), props.now);
        return (
          <div class="stack" data-testid="release-summary">
            <p
              class="release-state"
              role="status"
              data-testid="release-state"
              data-release={release().kind}
              data-at={'at' in release() ? String((release() as { at?: number }).at ?? '') : ''}
            >
              {releaseWords(release(), reader())}
            </p>
            <Show when={reader().principal && checkInDue(i().conditions, release(), props.now)}>
              <p class="release-reminder" data-testid="release-reminder">
                Check in soon: without a check-in the nodes release this secret to the beneficiary.
              </p>
            </Show>
            <ul class="release-conditions" data-testid="release-conditions">
              <For each={conditionLines(i().conditions, reader())}>{(line) => <li>{line}</li>}</For>
            </ul>
          </div>
        );
      }}
    </Show>
  );
};
