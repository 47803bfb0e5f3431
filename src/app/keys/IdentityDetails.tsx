/** The unlocked identity: name, CID, fingerprint, creation time, how it is protected; lock it. @module */
import { Show, type Component } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { Button, CopyText, createAction, ErrorNote, formatTime } from '../ui/index.ts';

export const IdentityDetails: Component = () => {
  const { vault } = useApp();
  const lock = createAction(() => vault.lock());
  return (
    <Show when={vault.current()}>
      {(me) => (
        <div class="stack" data-testid="identity-details">
          <dl class="facts">
            <dt>Name</dt>
            <dd data-testid="identity-name">{me().name}</dd>
            <dt>Identity (CID)</dt>
            <dd data-testid="identity-cid"><CopyText value={me().cid} label="identity CID" /></dd>
            <dt>Fingerprint</dt>
            <dd class="mono">{me().fingerprint}</dd>
            <dt>Created</dt>
            <dd>{formatTime(me().created)}</dd>
            <dt>Protection</dt>
            <dd>{vault.active()?.protection === 'passkey' ? 'passkey' : 'this device'}</dd>
          </dl>
          <div class="row">
            <Button onClick={() => void lock.run()} busy={lock.pending()}>Lock</Button>
          </div>
          <Show when={lock.error()}>
            <ErrorNote error={lock.error()} onDismiss={lock.clear} />
          </Show>
        </div>
      )}
    </Show>
  );
};
