/**
 * The navigation: one link per screen that asks for it; the current one is marked for assistive technology.
 * On a phone it is a bar at the bottom with the main sections as tabs and a "More" button opening a sheet with
 * the rest, so no section is ever cut off; on a wide screen both lists show as one column beside the content
 * (styles.css, "layout" block). The sheet closes on a choice, on Escape and on a tap outside.
 * @module
 */
import { type Component, createEffect, createSignal, For, on, onCleanup } from 'solid-js';
import { NavIcon } from './NavIcon.tsx';
import { type AppRoute, href, inNav, matchPath, useLocation } from './router.ts';

/** The sections that get a tab of their own on a phone (a bar has room for four and "More"). */
const TABS: readonly string[] = ['/', '/keys', '/nodes', '/orders'];

const NavLink: Component<{ readonly route: AppRoute; readonly current: boolean; readonly onPick?: () => void }> = (
  props,
) => (
  <li>
    <a
      class="nav-link"
      href={href(props.route.path)}
      aria-current={props.current ? 'page' : undefined}
      onClick={() => props.onPick?.()}
    >
      <NavIcon name={props.route.path} />
      <span class="nav-label">{props.route.title}</span>
    </a>
  </li>
);

export const Nav: Component<{ readonly routes: readonly AppRoute[] }> = (props) => {
  const location = useLocation();
  const [open, setOpen] = createSignal(false);
  let moreButton: HTMLButtonElement | undefined;
  let sheet: HTMLUListElement | undefined;
  const shown = () => props.routes.filter(inNav);
  const tabs = () => shown().filter((r) => TABS.includes(r.path));
  const rest = () => shown().filter((r) => !TABS.includes(r.path));
  const isCurrent = (r: AppRoute) =>
    r.path === '/'
      ? location().path === '/'
      : matchPath(r.path, location().path) !== null || location().path.startsWith(`${r.path}/`);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) moreButton?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open()) close(true);
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  // Whatever changes the route (a link in the page, Back) closes the sheet.
  createEffect(on(location, () => setOpen(false), { defer: true }));
  const toggle = () => {
    setOpen(!open());
    if (open()) sheet?.querySelector<HTMLAnchorElement>('a')?.focus();
  };
  return (
    <nav class="nav" aria-label="Main" data-open={open() ? 'true' : 'false'}>
      <div class="nav-inner">
        <ul class="nav-tabs">
          <For each={tabs()}>{(r) => <NavLink route={r} current={isCurrent(r)} />}</For>
          <li class="nav-more-item">
            <button
              ref={moreButton}
              type="button"
              class="nav-link nav-more"
              aria-expanded={open()}
              aria-controls="nav-sheet"
              data-current={rest().some(isCurrent) ? 'true' : undefined}
              onClick={toggle}
            >
              <NavIcon name="more" />
              <span class="nav-label">More</span>
            </button>
          </li>
        </ul>
        <ul id="nav-sheet" class="nav-sheet" ref={sheet}>
          <For each={rest()}>{(r) => <NavLink route={r} current={isCurrent(r)} onPick={() => close(false)} />}</For>
        </ul>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer-only shortcut; keyboard users close with Escape or More */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Escape (above) is the keyboard's way to close the sheet */}
      <div class="nav-backdrop" onClick={() => close(false)} data-testid="nav-backdrop" />
    </nav>
  );
};
