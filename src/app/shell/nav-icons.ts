/**
 * The line drawings of the navigation's icons (and of the install shortcuts' icons, which
 * scripts/make-screenshots.ts renders from these), as SVG path data on a 24-unit grid, one per section path.
 * Drawn here: a house, a person, a rack, a page, a coin, a padlock, a shield, an "i"; "more" is three dots and
 * "new" a page with a plus.
 * @module
 */
export const NAV_ICON_PATHS: Readonly<Record<string, string>> = {
  '/': 'M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5',
  '/keys': 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4 21c0-4 3.6-7 8-7s8 3 8 7',
  '/nodes': 'M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01',
  '/orders': 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  '/bitcoin': 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM10 7v10M9 8h4a2 2 0 0 1 0 4H9m1 0h4a2 2 0 0 1 0 4H9',
  '/mpin': 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5zM12 15v2',
  '/audit': 'M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6zM8.5 12l2.5 2.5 4.5-5',
  '/about': 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM12 11v6M12 7.5h.01',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  new: 'M6 3h9l4 4v14H6zM14 3v5h5M12.5 11v7M9 14.5h7',
};

/** A section without a drawing of its own gets a dot, so a new screen still lines up. */
export const NAV_ICON_DOT = 'M12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z';
