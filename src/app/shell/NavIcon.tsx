/**
 * A section's icon in the navigation (nav-icons.ts), in the current text colour. Decorative: the link's text
 * names the section, so the icon is hidden from assistive technology.
 * @module
 */
import type { Component } from 'solid-js';
import { NAV_ICON_DOT, NAV_ICON_PATHS } from './nav-icons.ts';

export const NavIcon: Component<{ readonly name: string }> = (props) => (
  <svg
    class="nav-icon"
    viewBox="0 0 24 24"
    width="24"
    height="24"
    aria-hidden="true"
    fill="none"
    stroke="currentColor"
    stroke-width={props.name === 'more' ? 3 : 1.8}
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    <path d={NAV_ICON_PATHS[props.name] ?? NAV_ICON_DOT} />
  </svg>
);
