/**
 * The core's status, always visible in the footer: "core self-test: passed" once the worker has loaded
 * wasm/dta.wasm and its built-in self-test passed. (test/browser/core.browser.test.ts reads #self-test.)
 * @module
 */
import { Match, Switch, type Component } from 'solid-js';
import { describeError } from '../ui/index.ts';
import { boot } from './boot.ts';

export const SelfTestStatus: Component = () => {
  const state = () => (boot().state === 'starting' ? 'running' : 'done');
  return (
    <p id="self-test" data-state={state()} class="small muted">
      <Switch>
        <Match when={boot().state === 'starting'}>core self-test: running…</Match>
        <Match when={(() => { const b = boot(); return b.state === 'ready' ? b : undefined; })()}>
          {(b) => `core self-test: ${b().selfTest ? 'passed' : 'FAILED'}`}
        </Match>
        <Match when={(() => { const b = boot(); return b.state === 'failed' ? b : undefined; })()}>
          {(b) => `core self-test: FAILED (${describeError(b().error).detail})`}
        </Match>
      </Switch>
    </p>
  );
};
