/**
 * The screen of the current route, inside an error boundary (a screen that throws shows a readable error
 * and a way back, never a blank page). On navigation it sets the document title and moves focus to the new
 * screen's heading, so keyboard and screen-reader users start at its top. Screens load on demand (PageLoader).
 * @module
 */
import { type Component, createEffect, ErrorBoundary, on, Show } from 'solid-js';
import { ErrorNote, Page } from '../ui/index.ts';
import { NotFound } from './NotFound.tsx';
import { PageLoader } from './PageLoader.tsx';
import { type AppRoute, matchRoute, useLocation } from './router.ts';

export const RouteView: Component<{ readonly routes: readonly AppRoute[] }> = (props) => {
  const location = useLocation();
  const matched = () => matchRoute(props.routes, location().path);
  createEffect(
    on(
      () => location().path,
      (_path, previous) => {
        document.title = `${matched()?.route.title ?? 'Not found'} · dta`;
        if (previous === undefined) return; // first render: leave focus where the browser put it
        requestAnimationFrame(() => document.getElementById('page-title')?.focus());
      },
    ),
  );
  return (
    <Show when={matched()} keyed fallback={<NotFound />}>
      {(m) => (
        <ErrorBoundary
          fallback={(error, reset) => (
            <Page title="Something went wrong">
              <ErrorNote error={error} onRetry={reset} />
            </Page>
          )}
        >
          <PageLoader component={m.route.component} params={m.params} />
        </ErrorBoundary>
      )}
    </Show>
  );
};
