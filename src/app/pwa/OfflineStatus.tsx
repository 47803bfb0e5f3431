/**
 * A quiet line in the footer saying that the app works offline once it is stored on the device (the header's
 * badge says when the browser is offline now). It sits in the page flow (not floating), so it never covers a control, and as a polite live region a
 * screen reader hears the change once, when the first install completes or the network goes.
 * @module
 */
import type { Component } from 'solid-js';
import { stored } from './stored.ts';

export const OfflineStatus: Component = () => (
  <p class="small muted" role="status" data-testid="offline-status" data-stored={stored() ? 'yes' : 'no'}>
    {stored() ? 'works offline' : ''}
  </p>
);
