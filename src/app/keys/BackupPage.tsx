/**
 * Exporting the unlocked identity as an encrypted file: a passphrase typed twice, scrypt and AES-GCM in the
 * worker (about a second), then a download. The file also holds the public identity document.
 * @module
 */
import { type Component, createSignal, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { markBackedUp } from '../shell/first-run.ts';
import { Button, Card, createAction, ErrorNote, Field, fieldId, Page, Progress, saveBytes } from '../ui/index.ts';
import { IdentityGate } from './IdentityGate.tsx';

const MIN_PASSPHRASE = 8;

function backupFileName(name: string, cid: string): string {
  const safe =
    name
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'identity';
  return `dta-${safe}-${cid.slice(-8)}.dtabackup`;
}

export const BackupPage: Component = () => {
  const { vault } = useApp();
  const [pass, setPass] = createSignal('');
  const [again, setAgain] = createSignal('');
  const [saved, setSaved] = createSignal<string | null>(null);
  const passId = fieldId('backup-pass');
  const againId = fieldId('backup-again');
  const mismatch = () => again().length > 0 && again() !== pass();
  const ready = () => pass().length >= MIN_PASSPHRASE && again() === pass();
  // Why the button is disabled, said next to the field rather than left to guess.
  const short = () => (pass().length > 0 && pass().length < MIN_PASSPHRASE ? MIN_PASSPHRASE - pass().length : 0);
  const exportFile = createAction(async () => {
    const me = vault.current();
    if (!me) throw Object.assign(new Error('unlock an identity first'), { name: 'VaultLockedError' });
    const bytes = await vault.exportBackup(pass());
    const file = backupFileName(me.name, me.cid);
    saveBytes(file, bytes);
    markBackedUp(me.cid); // Home's first run: the backup step is done
    setPass('');
    setAgain('');
    setSaved(file);
  });
  return (
    <Page title="Export a backup">
      <IdentityGate why="Create or unlock an identity to back it up.">
        <Card>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void exportFile.run();
            }}
            aria-label="Export a backup"
          >
            <p>
              Choose a passphrase you will remember: without it the file cannot be opened, by you or anyone. Keep the
              file somewhere other than this device.
            </p>
            <Field
              label="Passphrase"
              for={passId}
              hint={`At least ${MIN_PASSPHRASE} characters; a few unrelated words are best.`}
            >
              <input
                id={passId}
                type="password"
                autocomplete="new-password"
                required
                minlength={MIN_PASSPHRASE}
                value={pass()}
                onInput={(e) => setPass(e.currentTarget.value)}
                aria-describedby={short() ? `${passId}-hint ${passId}-short` : `${passId}-hint`}
              />
              <Show when={short()}>
                <p class="reason" id={`${passId}-short`} data-testid="passphrase-too-short">
                  Too short: {short()} more character{short() === 1 ? '' : 's'} needed before the file can be exported.
                </p>
              </Show>
            </Field>
            <Field label="Passphrase again" for={againId}>
              <input
                id={againId}
                type="password"
                autocomplete="new-password"
                required
                value={again()}
                onInput={(e) => setAgain(e.currentTarget.value)}
                aria-invalid={mismatch() ? 'true' : undefined}
              />
            </Field>
            <Show when={mismatch()}>
              <p class="field-error" role="alert">
                The two passphrases differ.
              </p>
            </Show>
            <div class="row">
              <Button type="submit" variant="primary" busy={exportFile.pending()} disabled={!ready()}>
                Export backup file
              </Button>
            </div>
            <Show when={exportFile.pending()}>
              <Progress label="Encrypting (scrypt makes this slow on purpose)…" />
            </Show>
            <Show when={exportFile.error()}>
              <ErrorNote error={exportFile.error()} onDismiss={exportFile.clear} />
            </Show>
            <Show when={saved()}>
              {(file) => (
                <p class="success" role="status" data-testid="backup-saved">
                  Saved <code>{file()}</code>.
                </p>
              )}
            </Show>
          </form>
        </Card>
      </IdentityGate>
    </Page>
  );
};
