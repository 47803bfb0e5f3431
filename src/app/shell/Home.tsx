/** The start screen: who you are on this device, and where to go next. @module */
import { type Component, For, Show } from 'solid-js';
import { IdentityGate } from '../keys/index.tsx';
import { online } from '../pwa/index.ts';
import { Card, Page, shortCid } from '../ui/index.ts';
import { useApp } from './context.tsx';
import { lazyNamed } from './lazy-page.ts';
import { type AppRoute, href, inNav } from './router.ts';

// Its own chunk: the next steps (the node registry, the API client, the stores) show once an identity exists, so a
// first visit's start screen (create an identity) does not wait for them.
const NextSteps = lazyNamed(() => import('./NextSteps.tsx'), 'NextSteps');

// Its own chunk: the orders' flows are not needed to draw the start screen.
const OrdersForYou = lazyNamed(() => import('../orders/OrdersForYou.tsx'), 'OrdersForYou');
// Its own chunk too: reminders of dead man's switches about to run out (release conditions).
const ReleaseReminders = lazyNamed(() => import('../orders/conditions/ReleaseReminders.tsx'), 'ReleaseReminders');

export const Home: Component<{ readonly features: readonly AppRoute[] }> = (props) => {
  const { vault } = useApp();
  return (
    <Page
      title="dta"
      intro="A decentralized trust authority: fiduciary nodes you choose keep secrets for you and the people you name, and issue shares of M-Pin login secrets. Your keys stay on this device."
    >
      <IdentityGate why="Start by creating your identity: keys generated on this device, which never leave it.">
        <NextSteps />
        <ReleaseReminders />
        <Card title={`Signed in as ${vault.current()?.name ?? ''}`}>
          <p class="mono small" title={vault.current()?.cid}>
            {shortCid(vault.current()?.cid ?? '')}
          </p>
          <Show when={!online()}>
            <p class="muted">You are offline: stored data is available; talking to nodes is not.</p>
          </Show>
          <ul class="tiles">
            <For each={props.features.filter((r) => inNav(r) && r.path !== '/')}>
              {(r) => (
                <li>
                  <a class="tile" href={href(r.path)}>
                    {r.title}
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Card>
        <OrdersForYou />
      </IdentityGate>
    </Page>
  );
};
