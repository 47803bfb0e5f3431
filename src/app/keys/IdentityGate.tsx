/**
 * Shows its children only with an unlocked identity; otherwise what it takes to get one: create (or import)
 * when the device has none, unlock when it has. Feature screens wrap themselves in it (RequireIdentity).
 * @module
 */
import { Match, type ParentComponent, Switch } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { Card, Progress } from '../ui/index.ts';
import { CreateIdentityForm } from './CreateIdentityForm.tsx';
import { UnlockPanel } from './UnlockPanel.tsx';

export const IdentityGate: ParentComponent<{ readonly why?: string }> = (props) => {
  const { vault } = useApp();
  return (
    <Switch>
      <Match when={vault.current()}>{props.children}</Match>
      <Match when={!vault.state()}>
        <Progress label="Reading the keys stored on this device…" />
      </Match>
      <Match when={vault.state()?.unavailable}>
        {(why) => (
          <p class="error-note" role="alert">
            Keys cannot be stored in this browser: {why()}.
          </p>
        )}
      </Match>
      <Match when={vault.state()?.identities.length === 0}>
        <Card title="Create your identity">
          <p>{props.why ?? 'You need an identity first.'}</p>
          <CreateIdentityForm />
        </Card>
      </Match>
      <Match when={true}>
        <Card title="Unlock your identity">
          <UnlockPanel />
        </Card>
      </Match>
    </Switch>
  );
};
