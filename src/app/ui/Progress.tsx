/** Visible progress for a slow step, announced politely to screen readers. @module */
import type { Component } from 'solid-js';

export const Progress: Component<{ readonly label: string }> = (props) => (
  <div class="progress" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true" />
    <span>{props.label}</span>
  </div>
);
