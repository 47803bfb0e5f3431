/**
 * Each node of a custody group on one line, with where it stands: while ordering (being sealed, sent, holds
 * its share, refused and why) and while retrieving (asked, a good share, a wrong one: it lied, no share: down
 * or refusing). One column of lines, so that it reads on a phone as on a desk.
 * @module
 */
import { type Component, For, Show } from 'solid-js';

export type ProgressState = 'sealing' | 'sent' | 'holds' | 'refused' | 'asked' | 'good' | 'wrong' | 'failed';

export interface ProgressRow {
  readonly index: number;
  readonly name: string;
  readonly url: string;
  readonly state: ProgressState;
  readonly reason?: string;
  /** The order this node holds (shown for the beneficiary to add the group on another device). */
  readonly order?: string;
}

const WORDS: Readonly<Record<ProgressState, string>> = Object.freeze({
  sealing: 'sealing its share',
  sent: 'sent, waiting for its signed reply',
  holds: 'holds its share',
  refused: 'refused',
  asked: 'asked for its share',
  good: 'gave a good share',
  wrong: 'lied: its share is wrong',
  failed: 'gave no share',
});

const MARKS: Readonly<Record<ProgressState, string>> = Object.freeze({
  sealing: '…',
  sent: '…',
  holds: '✓',
  refused: '✗',
  asked: '…',
  good: '✓',
  wrong: '✗',
  failed: '✗',
});

export const NodeProgressList: Component<{ readonly rows: readonly ProgressRow[]; readonly testid: string }> = (
  props,
) => (
  <ul class="plain-list stack" data-testid={props.testid} aria-live="polite">
    <For each={props.rows}>
      {(row) => (
        <li
          data-testid="custody-node"
          data-index={row.index}
          data-state={row.state}
          data-node-url={row.url}
          data-order={row.order}
        >
          <span aria-hidden="true">{MARKS[row.state]}</span> <strong>Share {row.index}</strong> · {row.name}{' '}
          <span class="muted small mono">{row.url}</span>
          <br />
          <span class={row.state === 'wrong' || row.state === 'refused' ? 'field-error' : ''}>{WORDS[row.state]}</span>
          <Show when={row.order}>
            {(order) => (
              <>
                <br />
                <span class="muted small">order </span>
                <span class="mono small">{order()}</span>
              </>
            )}
          </Show>
          <Show when={row.reason}>
            <span class="small" data-testid="custody-node-reason">
              : {row.reason}
            </span>
          </Show>
        </li>
      )}
    </For>
  </ul>
);
