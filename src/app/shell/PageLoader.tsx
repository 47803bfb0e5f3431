/**
 * A route's screen, loaded on demand (shell/lazy-page.ts): until its chunk has arrived an accessible loading
 * state (a polite status, the area marked busy), then the screen; if the chunk cannot be fetched (offline before
 * the service worker cached it), a readable error with a retry. No Suspense boundary is involved, so what a screen
 * itself loads never swaps it for the loading state.
 * @module
 */
import { type Component, createSignal, Match, Switch } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { ErrorNote, Page, Progress } from '../ui/index.ts';
import { pendingLoad } from './lazy-page.ts';
import type { RouteProps } from './router.ts';

/** The first screen shown keeps the focus where the browser put it (as RouteView does); later ones take it. */
let firstScreen = true;

export const PageLoader: Component<RouteProps & { readonly component: Component<RouteProps> }> = (props) => {
  const pending = pendingLoad(props.component);
  const takeFocus = !firstScreen;
  firstScreen = false;
  const [ready, setReady] = createSignal(pending === undefined);
  const [failure, setFailure] = createSignal<{ error: unknown }>();
  const load = () => {
    setFailure(undefined);
    pending?.().then(
      () => {
        setReady(true);
        // RouteView focused the heading before the screen had one: focus it now that it exists.
        if (takeFocus) requestAnimationFrame(() => document.getElementById('page-title')?.focus());
      },
      (error: unknown) => setFailure({ error }),
    );
  };
  if (pending) load();
  return (
    <Switch
      fallback={
        <div class="page-loading" aria-busy="true">
          <Progress label="Loading this screen…" />
        </div>
      }
    >
      <Match when={ready()}>
        <Dynamic component={props.component} params={props.params} />
      </Match>
      <Match when={failure()}>
        {(f) => (
          <Page title="This screen could not be loaded">
            <ErrorNote error={f().error} onRetry={load} />
          </Page>
        )}
      </Match>
    </Switch>
  );
};
