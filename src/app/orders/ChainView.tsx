/**
 * An order's envelope chain: each envelope with who signed it, for whom, when, its CID and marks for what
 * was verified (bytes hash to the CID, and how they were fetched; the signature; on the chain from the head).
 * Before the first verification, the stored envelopes are listed without marks; envelopes stored since the last
 * verification (a retrieval's request and reply) are listed after the verified ones, marked as not verified yet.
 * @module
 */
import { type Component, For, Show } from 'solid-js';
import { CopyText, formatTime, shortCid } from '../ui/index.ts';
import type { ChainCheck, OrderRecord, StepCheck } from './model.ts';

const VIA: Readonly<Record<string, string>> = {
  ipfs: 'IPFS (verified-fetch)',
  http: 'node API',
  stored: 'this device',
};

const Mark: Component<{ readonly ok: boolean; readonly label: string; readonly testid: string }> = (props) => (
  <span class={props.ok ? 'success' : 'field-error'} data-testid={props.testid} data-ok={String(props.ok)}>
    {props.ok ? '✓' : '✗'} {props.label}
  </span>
);

/** Nodes this app added, by identity CID: their names, for the steps they signed. */
type NodeNames = ReadonlyMap<string, string>;

function nameOf(check: ChainCheck | undefined, cid: string, me: string, nodes?: NodeNames): string {
  if (cid === me) return 'you';
  return check?.identities[cid]?.name ?? nodes?.get(cid) ?? shortCid(cid);
}

const Step: Component<{
  readonly step: StepCheck;
  readonly check?: ChainCheck;
  readonly me: string;
  readonly marks: boolean;
  readonly nodes?: NodeNames;
}> = (props) => (
  <li
    class="card stack"
    data-testid="chain-step"
    data-cid={props.step.cid}
    data-type={props.step.type}
    data-verified={
      props.marks ? String(props.step.cidVerified && props.step.signatureVerified && props.step.onChain) : 'unknown'
    }
  >
    <strong data-testid="step-type">{props.step.type}</strong>
    <dl class="facts small">
      <dt>Signed by</dt>
      <dd data-testid="step-sender" title={props.step.sender}>
        {nameOf(props.check, props.step.sender, props.me, props.nodes)}
      </dd>
      <dt>For</dt>
      <dd>
        {props.step.recipients.map((r) => nameOf(props.check, r, props.me, props.nodes)).join(', ') ||
          'anyone (not sealed)'}
      </dd>
      <dt>When</dt>
      <dd>{formatTime(props.step.created)}</dd>
      <dt>CID</dt>
      <dd>
        <CopyText value={props.step.cid} label="envelope CID" />
      </dd>
    </dl>
    <Show when={props.marks}>
      <p class="row small">
        <Mark
          ok={props.step.cidVerified}
          label={`matches its CID${props.step.via ? ` (from ${VIA[props.step.via] ?? props.step.via})` : ''}`}
          testid="step-cid-mark"
        />
        <Mark ok={props.step.signatureVerified} label="signature" testid="step-sig-mark" />
        <Mark ok={props.step.onChain} label="on the chain" testid="step-chain-mark" />
        <Show when={props.step.sealed}>
          <span class="muted">sealed</span>
        </Show>
      </p>
      <span class="sr-only" data-testid="step-via">
        {props.step.via ?? ''}
      </span>
      <Show when={props.step.error}>
        <p class="field-error small">{props.step.error}</p>
      </Show>
    </Show>
  </li>
);

/** A stored envelope not verified yet, as a step without marks. */
function uncheckedStep(e: OrderRecord['envelopes'][number]): StepCheck {
  return {
    cid: e.cid,
    type: e.type,
    sender: e.sender,
    recipients: e.recipients,
    created: e.created,
    sealed: false,
    cidVerified: false,
    signatureVerified: false,
    onChain: false,
  };
}

/** The last check's steps (marked), then the stored envelopes it did not see (unmarked), in chain order. */
function stepsOf(order: OrderRecord): readonly { readonly step: StepCheck; readonly marks: boolean }[] {
  const checked = order.check?.steps ?? [];
  const seen = new Set(checked.map((s) => s.cid));
  const newer = order.envelopes.filter((e) => !seen.has(e.cid)).map(uncheckedStep);
  return [...checked.map((step) => ({ step, marks: true })), ...newer.map((step) => ({ step, marks: false }))];
}

export const ChainView: Component<{
  readonly order: OrderRecord;
  readonly me: string;
  /** Names of the nodes this app added, by identity CID (a node signs its replies). */
  readonly nodes?: NodeNames;
}> = (props) => {
  const steps = () => stepsOf(props.order);
  const unchecked = () => steps().filter((s) => !s.marks).length;
  return (
    <div class="stack">
      <Show
        when={props.order.check}
        fallback={
          <p class="muted" data-testid="chain-verified" data-verified="unknown">
            Not verified yet.
          </p>
        }
      >
        {(c) => (
          <p
            data-testid="chain-verified"
            data-verified={String(c().verified)}
            class={c().verified ? 'success' : 'field-error'}
          >
            {c().verified ? '✓ The whole chain verifies' : `✗ The chain does not verify: ${c().error ?? ''}`} (checked{' '}
            {formatTime(c().at)}, {c().steps.filter((s) => s.via === 'ipfs').length} of {c().steps.length} envelopes
            fetched over IPFS)
            <Show when={unchecked() > 0}>
              {' '}
              <span class="muted" data-testid="chain-unchecked" data-count={unchecked()}>
                · {unchecked()} newer envelope{unchecked() === 1 ? '' : 's'} stored since, not verified yet
              </span>
            </Show>
          </p>
        )}
      </Show>
      <ol class="plain-list stack" data-testid="chain">
        <For each={steps()}>
          {(s) => <Step step={s.step} check={props.order.check} me={props.me} marks={s.marks} nodes={props.nodes} />}
        </For>
      </ol>
    </div>
  );
};
