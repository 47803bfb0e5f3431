/** The navigation: one link per screen that asks for it; the current one is marked for assistive technology. @module */
import { type Component, For } from 'solid-js';
import { type AppRoute, href, inNav, matchPath, useLocation } from './router.ts';

export const Nav: Component<{ readonly routes: readonly AppRoute[] }> = (props) => {
  const location = useLocation();
  const isCurrent = (r: AppRoute) =>
    r.path === '/'
      ? location().path === '/'
      : matchPath(r.path, location().path) !== null || location().path.startsWith(`${r.path}/`);
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        <For each={props.routes.filter(inNav)}>
          {(r) => (
            <li>
              <a href={href(r.path)} aria-current={isCurrent(r) ? 'page' : undefined}>
                {r.title}
              </a>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
};
