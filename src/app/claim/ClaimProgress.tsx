/**
 * Each node of a claim on one line, with where it stands: the redeemer made known to it, asked, released its part
 * (a share checked against the group, or the secret), or gave nothing and why (in the node's words). One column,
 * to read on a phone as on a desk.
 * @module
 */
import { type Component, For, Show } from 'solid-js';
import type { OidcProgress } from '../../worker/api/oidc-redeem.ts';
import type { ClaimHolder } from './claim-link.ts';

export type ClaimNodeState = OidcProgress['state'] | 'waiting';

const WORDS: Readonly<Record<ClaimNodeState, string>> = Object.freeze({
  waiting: 'waiting',
  registered: 'ready: knows the key made for this claim',
  asked: 'asked, checking your sign-in',
  good: 'released its part',
  wrong: 'lied: what it released is wrong',
  failed: 'released nothing',
});

export interface ClaimRow extends ClaimHolder {
  readonly state: ClaimNodeState;
  readonly reason?: string;
}

/** Rows for `holders`, all waiting. */
export const waitingRows = (holders: readonly ClaimHolder[]): ClaimRow[] =>
  holders.map((h) => ({ ...h, state: 'waiting' }));

/** `rows` with the node `p` names updated. */
export function withProgress(rows: readonly ClaimRow[], p: OidcProgress): ClaimRow[] {
  return rows.map((r) =>
    r.identity !== p.node ? r : { ...r, state: p.state, ...('reason' in p ? { reason: p.reason } : {}) },
  );
}

export const ClaimProgress: Component<{ readonly rows: readonly ClaimRow[] }> = (props) => (
  <ul class="plain-list stack" data-testid="claim-progress" aria-live="polite">
    <For each={props.rows}>
      {(row, i) => (
        <li data-testid="claim-node" data-state={row.state} data-node-url={row.url}>
          <strong>Node {i() + 1}</strong> <span class="muted small mono">{row.url}</span>
          <br />
          <span class={row.state === 'wrong' || row.state === 'failed' ? 'field-error' : ''}>{WORDS[row.state]}</span>
          <Show when={row.reason}>
            <span class="small" data-testid="claim-node-reason">
              : {row.reason}
            </span>
          </Show>
        </li>
      )}
    </For>
  </ul>
);
