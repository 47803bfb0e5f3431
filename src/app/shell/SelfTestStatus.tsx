/**
 * The core's status, always visible in the footer: "core self-test: passed" once the worker has loaded
 * wasm/dta.wasm and its built-in self-test passed. (test/browser/core.browser.test.ts reads #self-test.)
 * @module
 */
import type { Component } from 'solid-js';
import { describeError } from '../ui/index.ts';
import { boot } from './boot.ts';

function statusText(): string {
  const b = boot();
  if (b.state === 'starting') return 'core self-test: running…';
  if (b.state === 'failed') return `core self-test: FAILED (${describeError(b.error).detail})`;
  return `core self-test: ${b.selfTest ? 'passed' : 'FAILED'}`;
}

export const SelfTestStatus: Component = () => (
  <p id="self-test" data-state={boot().state === 'starting' ? 'running' : 'done'} class="small muted">
    {statusText()}
  </p>
);
