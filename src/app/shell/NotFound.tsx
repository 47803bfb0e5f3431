/** A route nobody defined. @module */
import type { Component } from 'solid-js';
import { Page } from '../ui/index.ts';
import { href } from './router.ts';

export const NotFound: Component = () => (
  <Page title="Not found">
    <p>
      There is no such screen. <a href={href('/')}>Go to the start</a>.
    </p>
  </Page>
);
