/**
 * The core's status, always visible in the footer: "core self-test: passed" once the worker has loaded
 * wasm/dta.wasm and its built-in self-test passed. `data-state` says whether the app has started (its first screen
 * shown), `data-self-test` whether the self-test, which runs just after, has passed. (test/browser/core.browser.test.ts
 * and the e2e suite read #self-test.)
 * @module
 */
import type { Component } from 'solid-js';
import { describeError } from '../ui/index.ts';
import { boot } from './boot.ts';

function statusText(): string {
  const b = boot();
  if (b.state === 'starting') return 'core self-test: running…';
  if (b.state === 'failed') return `core self-test: FAILED (${describeError(b.error).detail})`;
  return b.selfTest === 'passed' ? 'core self-test: passed' : 'core self-test: running…';
}

function selfTestState(): 'running' | 'passed' | 'failed' {
  const b = boot();
  if (b.state === 'failed') return 'failed';
  return b.state === 'ready' && b.selfTest === 'passed' ? 'passed' : 'running';
}

export const SelfTestStatus: Component = () => (
  <p
    id="self-test"
    data-state={boot().state === 'starting' ? 'running' : 'done'}
    data-self-test={selfTestState()}
    class="small muted"
  >
    {statusText()}
  </p>
);
