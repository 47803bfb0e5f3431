/**
 * The small line icons of the navigation, one per section (by path), drawn here on a 24-unit grid in the
 * current text colour. Decorative: the link's text names the section, so the icon is hidden from assistive
 * technology. A section without an icon of its own gets a plain dot, so a new screen still lines up.
 * @module
 */
import type { Component } from 'solid-js';

/** SVG path data per section path; 'more' is the menu button's. */
const SHAPES: Readonly<Record<string, string>> = {
  '/': 'M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5',
  '/keys': 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4 21c0-4 3.6-7 8-7s8 3 8 7',
  '/nodes': 'M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01',
  '/orders': 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  '/bitcoin': 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM10 7v10M9 8h4a2 2 0 0 1 0 4H9m1 0h4a2 2 0 0 1 0 4H9',
  '/mpin': 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5zM12 15v2',
  '/audit': 'M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6zM8.5 12l2.5 2.5 4.5-5',
  '/about': 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM12 11v6M12 7.5h.01',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
};

const DOT = 'M12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z';

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
    <path d={SHAPES[props.name] ?? DOT} />
  </svg>
);
