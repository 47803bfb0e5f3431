/**
 * Audit: what a person can check about one of their nodes, in their own browser and trusting no explorer —
 * the node's latest log checkpoint and who witnessed it, that the log only grew since this device last looked,
 * that every envelope of their orders with the node is in it, and that the node's Birth Record is anchored on
 * Bitcoin. Each check shows ok, failed or not checked, in words; a failed one offers its evidence as a file.
 * @module
 */
import { type Component, createSignal, For, onMount, Show } from 'solid-js';
import type { BitcoinNetwork } from '../../core/anchor/networks.ts';
import { useFlows } from '../api/use.ts';
import { IdentityGate } from '../keys/index.tsx';
import { nodesStoreOf } from '../nodes/store.ts';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import '../ui/text-wrap.css';
import {
  Button,
  Card,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  formatTime,
  Page,
  Progress,
  saveBytes,
} from '../ui/index.ts';
import { type AuditProgress, type AuditReport, auditNode } from './audit.ts';
import { type AuditCheck, CHECK_TITLES, type CheckStatus } from './checks.ts';
import { keepTrustedNetwork, NETWORKS, trustedNetwork } from './network.ts';
import { type AuditEvidenceRecord, evidenceOf } from './seen.ts';

const MARKS: Readonly<Record<CheckStatus, { readonly mark: string; readonly words: string; readonly class: string }>> =
  {
    ok: { mark: '✓', words: 'passed', class: 'success' },
    failed: { mark: '✗', words: 'failed', class: 'field-error' },
    unknown: { mark: '?', words: 'not checked', class: 'muted' },
  };

function saveEvidence(node: string, at: number, json: string): void {
  const name = `dta-audit-evidence-${node.slice(-12)}-${new Date(at).toISOString().replace(/[:.]/g, '-')}.json`;
  saveBytes(name, new TextEncoder().encode(json), 'application/json');
}

const CheckItem: Component<{ readonly check: AuditCheck; readonly onEvidence: () => void }> = (props) => {
  const m = () => MARKS[props.check.status];
  const titleId = fieldId(`check-${props.check.kind}`);
  return (
    <li
      class="card stack"
      data-testid="audit-check"
      data-kind={props.check.kind}
      data-status={props.check.status}
      aria-labelledby={titleId}
    >
      <h3 id={titleId}>
        <span class={m().class} aria-hidden="true">
          {m().mark}{' '}
        </span>
        {CHECK_TITLES[props.check.kind]}
        <span class="sr-only">: {m().words}</span>
      </h3>
      <p class={props.check.status === 'failed' ? 'field-error' : ''} data-testid="audit-reason">
        {props.check.reason}
      </p>
      <Show when={props.check.details?.length}>
        <ul class="plain-list small wrap-anywhere" data-testid="audit-details">
          <For each={props.check.details}>{(line) => <li>{line}</li>}</For>
        </ul>
      </Show>
      <Show when={props.check.status === 'failed'}>
        <div class="row">
          <Button
            variant="danger"
            onClick={props.onEvidence}
            aria-label={`Download the evidence: ${CHECK_TITLES[props.check.kind]}`}
            data-testid="audit-evidence"
          >
            Download the evidence
          </Button>
        </div>
      </Show>
    </li>
  );
};

const Summary: Component<{ readonly report: AuditReport }> = (props) => {
  const count = (s: CheckStatus) => props.report.checks.filter((c) => c.status === s).length;
  return (
    <p role="status" data-testid="audit-summary" data-failed={count('failed')} data-unknown={count('unknown')}>
      <Show when={count('failed') > 0} fallback={<span class="success">No check failed.</span>}>
        <strong class="field-error">
          {count('failed')} check{count('failed') > 1 ? 's' : ''} failed: this node showed you something it cannot back
          up. Keep the evidence.
        </strong>
      </Show>{' '}
      {count('ok')} passed, {count('unknown')} not checked · {props.report.node.name} · {formatTime(props.report.at)}
    </p>
  );
};

const ProgressLine: Component<{ readonly progress: AuditProgress }> = (props) => (
  <div class="stack">
    <Progress label={props.progress.label} />
    <Show when={props.progress.total}>
      {(total) => (
        <progress
          max={total()}
          value={props.progress.done ?? 0}
          aria-label={props.progress.label}
          data-testid="audit-progress"
        />
      )}
    </Show>
  </div>
);

const PastEvidence: Component<{ readonly records: readonly AuditEvidenceRecord[] }> = (props) => (
  <Show when={props.records.length > 0}>
    <Card title="Evidence kept on this device">
      <ul class="plain-list stack wrap-anywhere" data-testid="audit-past-evidence">
        <For each={props.records}>
          {(r) => (
            <li class="row">
              <span>
                {formatTime(r.at)}: {r.summary}
              </span>
              <Button variant="link" onClick={() => saveEvidence(r.node, r.at, r.json)}>
                Download
              </Button>
            </li>
          )}
        </For>
      </ul>
    </Card>
  </Show>
);

export const AuditPage: Component = () => {
  const deps = useFlows();
  const { vault } = useApp();
  const nodes = nodesStoreOf(deps);
  const [url, setUrl] = createSignal('');
  const [progress, setProgress] = createSignal<AuditProgress>({ label: 'Starting…' });
  const [report, setReport] = createSignal<AuditReport>();
  const [past, setPast] = createSignal<readonly AuditEvidenceRecord[]>([]);
  const selectId = fieldId('audit-node');
  const networkId = fieldId('audit-network');
  const [network, setNetwork] = createSignal<BitcoinNetwork>(trustedNetwork());
  const chosen = () => nodes.nodes().find((n) => n.url === url()) ?? nodes.nodes()[0];
  const readPast = async () => {
    const n = chosen();
    setPast(n ? await evidenceOf(deps, n.identity) : []);
  };
  const run = createAction(async () => {
    const n = chosen();
    if (!n) return;
    setReport(undefined);
    setReport(await auditNode(deps, n.url, vault.current()?.cid ?? '', { network: network() }, setProgress));
    await readPast();
  });
  onMount(() => void nodes.refresh().then(readPast));
  return (
    <Page
      title="Audit"
      intro="Check, in this browser, that a node keeps one honest log of everything it did for you: signed, witnessed by other nodes, never rewritten, and born at a time fixed on Bitcoin."
    >
      <IdentityGate>
        <Show
          when={nodes.nodes().length > 0}
          fallback={
            <p class="hint" data-testid="no-nodes">
              You have no node to audit: <a href={href('/nodes')}>add one under Nodes</a>.
            </p>
          }
        >
          <Card>
            <Field label="Node" for={selectId}>
              <select
                id={selectId}
                value={chosen()?.url ?? ''}
                onChange={(e) => {
                  setUrl(e.currentTarget.value);
                  setReport(undefined);
                  void readPast();
                }}
                data-testid="audit-node"
              >
                <For each={nodes.nodes()}>
                  {(n) => (
                    <option value={n.url}>
                      {n.name} — {n.url} ({n.fingerprint})
                    </option>
                  )}
                </For>
              </select>
            </Field>
            <Field
              label="Bitcoin network to trust for anchors"
              for={networkId}
              hint="Anchors are checked from this network's first block; a test chain proves nothing about time."
            >
              <select
                id={networkId}
                value={network()}
                onChange={(e) => {
                  const chosen = e.currentTarget.value as BitcoinNetwork;
                  setNetwork(chosen);
                  keepTrustedNetwork(chosen);
                }}
                data-testid="audit-network"
              >
                <For each={NETWORKS}>{(n) => <option value={n.value}>{n.label}</option>}</For>
              </select>
            </Field>
            <div class="row">
              <Button variant="primary" busy={run.pending()} onClick={() => void run.run()} data-testid="audit-run">
                Check this node
              </Button>
            </div>
            <Show when={run.pending()}>
              <ProgressLine progress={progress()} />
            </Show>
            <Show when={run.error()}>
              <ErrorNote error={run.error()} onDismiss={run.clear} />
            </Show>
          </Card>
          <Show when={report()}>
            {(r) => (
              <section aria-label="Results" data-testid="audit-report" data-at={r().at} class="wrap-anywhere">
                <Summary report={r()} />
                <ul class="plain-list stack" aria-label="Checks">
                  <For each={r().checks}>
                    {(c) => (
                      <CheckItem
                        check={c}
                        onEvidence={() => saveEvidence(r().node.identity, r().at, r().evidence ?? '{}')}
                      />
                    )}
                  </For>
                </ul>
              </section>
            )}
          </Show>
          <PastEvidence records={past()} />
        </Show>
      </IdentityGate>
    </Page>
  );
};
