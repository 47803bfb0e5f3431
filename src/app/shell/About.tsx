/**
 * Diagnostics: the core's self-test (run again on demand) and start-up time, storage persistence, the
 * service worker — what to include in a bug report.
 * @module
 */
import { type Component, createResource, createSignal, Show } from 'solid-js';
import { runningBuild } from '../pwa/build-check.ts';
import { Button, Card, createAction, ErrorNote, formatBytes, Page } from '../ui/index.ts';
import '../ui/text-wrap.css';
import { boot } from './boot.ts';
import { useApp } from './context.tsx';

interface StorageInfo {
  readonly persisted: boolean | null;
  readonly usage: number | null;
  readonly quota: number | null;
}

async function storageInfo(): Promise<StorageInfo> {
  const s = navigator.storage;
  const persisted = s?.persisted ? await s.persisted() : null;
  const est = s?.estimate ? await s.estimate() : undefined;
  return { persisted, usage: est?.usage ?? null, quota: est?.quota ?? null };
}

function persistedText(p: boolean | null): string {
  if (p === null) return 'unknown';
  return p ? 'yes: the browser will not evict your keys' : 'no: the browser may evict data when short of space';
}

/** The running build's hash, to compare with the one published for the release (README, "Checking the app you run"). */
const BuildCard: Component = () => {
  const [build] = createResource(runningBuild);
  return (
    <Card title="This app's build">
      <p class="small">
        Its build hash:{' '}
        <code class="wrap-anywhere" data-testid="build-hash">
          {build.loading ? '…' : (build() ?? 'unknown')}
        </code>
      </p>
    </Card>
  );
};

export const About: Component = () => {
  const { api } = useApp();
  const [storage, { refetch }] = createResource(storageInfo);
  const [lastRun, setLastRun] = createSignal<{ ok: boolean; ms: number } | null>(null);
  const rerun = createAction(async () => {
    const t0 = performance.now();
    const ok = await api.core.selfTest();
    setLastRun({ ok, ms: performance.now() - t0 });
  });
  const persist = createAction(async () => {
    await navigator.storage?.persist?.();
    await refetch();
  });
  const startMs = () => {
    const b = boot();
    return b.state === 'ready' ? `${Math.round(b.ms)} ms (worker, wasm, self-test, vault)` : '…';
  };
  const sw = () =>
    'serviceWorker' in navigator && navigator.serviceWorker.controller
      ? 'active: the app works offline'
      : 'not active yet';
  return (
    <Page title="About">
      <Card title="Crypto core">
        <p>BLS12-381, M-Pin and envelopes run in a Web Worker over the app's own WebAssembly core.</p>
        <dl class="facts">
          <dt>Start-up</dt>
          <dd>{startMs()}</dd>
          <Show when={lastRun()}>
            {(r) => (
              <>
                <dt>Self-test again</dt>
                <dd data-testid="self-test-again">
                  {r().ok ? 'passed' : 'FAILED'} in {Math.round(r().ms)} ms
                </dd>
              </>
            )}
          </Show>
        </dl>
        <div class="row">
          <Button busy={rerun.pending()} onClick={() => void rerun.run()}>
            Run the self-test again
          </Button>
        </div>
        <Show when={rerun.error()}>
          <ErrorNote error={rerun.error()} onDismiss={rerun.clear} />
        </Show>
      </Card>
      <Card title="Storage">
        <Show when={storage()}>
          {(s) => (
            <dl class="facts">
              <dt>Persistent</dt>
              <dd>{persistedText(s().persisted)}</dd>
              <dt>Used</dt>
              <dd>{s().usage === null ? 'unknown' : `${formatBytes(s().usage!)} of ${formatBytes(s().quota ?? 0)}`}</dd>
            </dl>
          )}
        </Show>
        <Show when={storage()?.persisted === false}>
          <Button busy={persist.pending()} onClick={() => void persist.run()}>
            Ask to keep data persistently
          </Button>
        </Show>
      </Card>
      <Card title="Offline">
        <p>Service worker: {sw()}.</p>
      </Card>
      <BuildCard />
    </Page>
  );
};
