/**
 * The frame of every screen: a skip link, the header (name, identity status, offline hint), the
 * navigation, the current screen, and the footer with the core's status. While the worker starts the
 * screen area shows progress; if it cannot start, the reason.
 * @module
 */
import { type Component, Match, Show, Switch } from 'solid-js';
import { OfflineStatus, online, UpdatePrompt } from '../pwa/index.ts';
import { ErrorNote, Page, Progress } from '../ui/index.ts';
import { boot } from './boot.ts';
import { AppProvider } from './context.tsx';
import { IdentityChip } from './IdentityChip.tsx';
import { Nav } from './Nav.tsx';
import { RouteView } from './RouteView.tsx';
import { href } from './router.ts';
import { appRoutes } from './routes.tsx';
import { SelfTestStatus } from './SelfTestStatus.tsx';

const ready = () => {
  const b = boot();
  return b.state === 'ready' ? b : undefined;
};
const failed = () => {
  const b = boot();
  return b.state === 'failed' ? b : undefined;
};

export const Shell: Component = () => (
  <div class="shell">
    {/* biome-ignore lint/a11y/useValidAnchor: the skip link is a real link to #main; the handler only moves focus there */}
    <a
      class="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      Skip to content
    </a>
    <header class="header">
      <a class="brand" href={href('/')}>
        <img src="/icons/icon-192.png" alt="" width="28" height="28" />
        <span>dta</span>
      </a>
      <Show when={!online()}>
        <span class="badge" role="status">
          Offline
        </span>
      </Show>
      <Show when={ready()}>{(b) => <IdentityChip vault={b().vault} />}</Show>
    </header>
    <Nav routes={appRoutes} />
    <main id="main" tabindex="-1" class="main">
      <Switch>
        <Match when={ready()}>
          {(b) => (
            <AppProvider value={{ api: b().worker.api, vault: b().vault }}>
              <RouteView routes={appRoutes} />
            </AppProvider>
          )}
        </Match>
        <Match when={failed()}>
          {(f) => (
            <Page title="The app could not start">
              <ErrorNote error={f().error} onRetry={() => location.reload()} />
            </Page>
          )}
        </Match>
        <Match when={true}>
          <Progress label="Starting the crypto core…" />
        </Match>
      </Switch>
    </main>
    <footer class="footer">
      <SelfTestStatus />
      <OfflineStatus />
      <a href={href('/about')} class="small">
        About
      </a>
    </footer>
    {/* Registered once the app is up: the service worker's precache of the whole build (about 4 MB) would
        otherwise compete with the worker's script and the wasm on a first visit. */}
    <Show when={boot().state !== 'starting'}>
      <UpdatePrompt />
    </Show>
  </div>
);
