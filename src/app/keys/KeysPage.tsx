/** The identity screen: the unlocked identity, its protection, backups, the other identities here, a new one. @module */
import { type Component, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { href } from '../shell/router.ts';
import { Card, Page } from '../ui/index.ts';
import { AutoLockSetting } from './AutoLockSetting.tsx';
import { CreateIdentityForm } from './CreateIdentityForm.tsx';
import { IdentityDetails } from './IdentityDetails.tsx';
import { IdentityGate } from './IdentityGate.tsx';
import { IdentityList } from './IdentityList.tsx';
import { PasskeyPanel } from './PasskeyPanel.tsx';
import { PersistenceWarning } from './PersistenceWarning.tsx';

export const KeysPage: Component = () => {
  const { vault } = useApp();
  const count = () => vault.state()?.identities.length ?? 0;
  return (
    <Page
      title="Identity"
      intro="Your identity's keys are generated and kept on this device, sealed in its storage. Nodes only ever see your public identity document."
    >
      <IdentityGate why="Create an identity to order, retrieve and log in.">
        <PersistenceWarning />
        <Card title="Your identity">
          <IdentityDetails />
        </Card>
        <Card title="Passkey">
          <PasskeyPanel />
        </Card>
        <Card title="Auto-lock">
          <AutoLockSetting />
        </Card>
        <Card title="Backup">
          <p>
            Save your identity as a file encrypted with a passphrase, to restore it on another device or after a loss.
          </p>
          <div class="row">
            <a class="btn btn-primary" href={href('/keys/backup')}>
              Export a backup
            </a>
            <a class="btn btn-secondary" href={href('/keys/import')}>
              Import a backup
            </a>
          </div>
        </Card>
      </IdentityGate>
      <Show when={count() > 0}>
        <Card title="On this device">
          <IdentityList />
        </Card>
        <Card title="New identity">
          <details>
            <summary>Create another identity</summary>
            <CreateIdentityForm />
          </details>
        </Card>
      </Show>
    </Page>
  );
};
