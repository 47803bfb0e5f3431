/** The unlocked identity: name, CID (also as a QR code, for a principal naming you beneficiary), fingerprint, creation time, protection; lock it. @module */
import { type Component, Show } from 'solid-js';
import { identityPayload, QrCode } from '../qr/index.ts';
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
            <dd data-testid="identity-cid">
              <CopyText value={me().cid} label="identity CID" />
            </dd>
            <dt>Fingerprint</dt>
            <dd class="mono">{me().fingerprint}</dd>
            <dt>Created</dt>
            <dd>{formatTime(me().created)}</dd>
            <dt>Protection</dt>
            <dd>{vault.active()?.protection === 'passkey' ? 'passkey' : 'this device'}</dd>
          </dl>
          <details>
            <summary data-testid="identity-qr-toggle">Show as a QR code</summary>
            <QrCode value={identityPayload(me().cid)} label="identity" testid="identity-qr" />
          </details>
          <div class="row">
            <Button onClick={() => void lock.run()} busy={lock.pending()}>
              Lock
            </Button>
          </div>
          <Show when={lock.error()}>
            <ErrorNote error={lock.error()} onDismiss={lock.clear} />
          </Show>
        </div>
      )}
    </Show>
  );
};
