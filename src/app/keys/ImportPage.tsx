/**
 * Importing a backup file: the file and its passphrase; the worker decrypts it, checks that the keys are
 * those of the identity document inside, seals them under a new passkey (offered first) or a device key of their
 * own, and unlocks the identity.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { href, navigate } from '../shell/router.ts';
import { Button, Card, createAction, ErrorNote, Field, fieldId, Page, Progress, readFileBytes } from '../ui/index.ts';
import { createProtection, ProtectionChoice } from './ProtectionChoice.tsx';

const MAX_FILE_BYTES = 64 * 1024;

export const ImportPage: Component = () => {
  const { vault } = useApp();
  const [file, setFile] = createSignal<File | null>(null);
  const [pass, setPass] = createSignal('');
  const fileId = fieldId('import-file');
  const passId = fieldId('import-pass');
  const protection = createProtection();
  const importFile = createAction(async () => {
    const f = file();
    if (!f) return;
    // The passkey is registered before the file is opened, so it is named after the file.
    const label = protection.value() === 'passkey' ? f.name.replace(/\.dtabackup$/, '') || 'dta identity' : undefined;
    await vault.importBackup(await readFileBytes(f, MAX_FILE_BYTES), pass(), label);
    setPass('');
    navigate('/keys');
  });
  return (
    <Page title="Import a backup" intro="Restore an identity from a backup file exported by this app on any device.">
      <Card>
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void importFile.run();
          }}
          aria-label="Import a backup"
        >
          <Field label="Backup file" for={fileId}>
            <input
              id={fileId}
              type="file"
              accept=".dtabackup,application/octet-stream"
              required
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </Field>
          <Field label="Passphrase" for={passId}>
            <input
              id={passId}
              type="password"
              autocomplete="current-password"
              required
              value={pass()}
              onInput={(e) => setPass(e.currentTarget.value)}
            />
          </Field>
          <ProtectionChoice state={protection} />
          <div class="row">
            <Button type="submit" variant="primary" busy={importFile.pending()} disabled={!file() || !pass()}>
              Import
            </Button>
            <a class="btn btn-link" href={href('/keys')}>
              Cancel
            </a>
          </div>
          <Show when={importFile.pending()}>
            <Progress label="Decrypting and checking the backup…" />
          </Show>
          <Show when={importFile.error()}>
            <ErrorNote error={importFile.error()} onDismiss={importFile.clear} />
          </Show>
        </form>
      </Card>
    </Page>
  );
};
