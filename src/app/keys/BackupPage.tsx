/**
 * Exporting the unlocked identity as an encrypted file: a passphrase of at least 12 characters that zxcvbn rates
 * hard to guess (or a generated recovery phrase), typed twice; a fresh confirmation (the passkey, or the name of a
 * device-key identity typed again); scrypt and AES-GCM in the worker (about a second), then a download. The file
 * also holds the public identity document. When the button is disabled, the reason is shown next to the fields.
 * @module
 */
import { type Component, createSignal, onMount, Show } from 'solid-js';
import { useApp } from '../shell/context.tsx';
import { markBackedUp } from '../shell/first-run.ts';
import {
  Button,
  Card,
  createAction,
  ErrorNote,
  Field,
  fieldId,
  NameConfirmField,
  Page,
  Progress,
  saveBytes,
} from '../ui/index.ts';
import { IdentityGate } from './IdentityGate.tsx';
import { loadStrengthCheck, MIN_SCORE, type StrengthCheck } from './passphrase-strength.ts';
import { recoveryPhrase } from './recovery-phrase.ts';

const MIN_PASSPHRASE = 12;
const SCORE_WORDS = ['very weak', 'weak', 'fair', 'strong', 'very strong'] as const;

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
  const [typedName, setTypedName] = createSignal('');
  const [phrase, setPhrase] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  const [check, setCheck] = createSignal<StrengthCheck | null>(null);
  const [checkFailed, setCheckFailed] = createSignal(false);
  onMount(() => {
    loadStrengthCheck().then(
      (c) => setCheck(() => c),
      () => setCheckFailed(true),
    );
  });
  const ids = { pass: fieldId('backup-pass'), again: fieldId('backup-again') };
  const byPasskey = () => vault.active()?.protection === 'passkey';
  const strength = () => {
    const c = check();
    const me = vault.current();
    return c && pass() ? c(pass(), me ? [me.name] : []) : null;
  };
  /** Why the export cannot start yet, or null. */
  const reason = (): string | null => {
    const length = [...pass()].length;
    if (length < MIN_PASSPHRASE)
      return `The passphrase needs at least ${MIN_PASSPHRASE} characters (${length} so far).`;
    if (pass() !== phrase()) {
      if (checkFailed()) return 'The strength check could not be loaded: generate a recovery phrase instead.';
      const s = strength();
      if (!s) return 'Checking how hard the passphrase is to guess…';
      if (s.score < MIN_SCORE)
        return `Too easy to guess${s.warning ? `: ${s.warning}` : ''}. Add more unrelated words.`;
    }
    if (again() !== pass()) return again() ? 'The two passphrases differ.' : 'Type the passphrase again.';
    if (!byPasskey() && typedName() !== vault.current()?.name) return "Type the identity's name to confirm.";
    return null;
  };
  const useGenerated = async () => {
    const p = await recoveryPhrase();
    setPhrase(p);
    setPass(p);
    setAgain(p);
  };
  const exportFile = createAction(async () => {
    const me = vault.current();
    if (!me) throw Object.assign(new Error('unlock an identity first'), { name: 'VaultLockedError' });
    const bytes = await vault.exportBackup(pass(), byPasskey() ? undefined : typedName());
    const file = backupFileName(me.name, me.cid);
    saveBytes(file, bytes);
    markBackedUp(me.cid); // Home's first run: the backup step is done
    setPass('');
    setAgain('');
    setTypedName('');
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
              if (!reason()) void exportFile.run();
            }}
            aria-label="Export a backup"
          >
            <p>
              Choose a passphrase you will remember: without it the file cannot be opened, by you or anyone; with it,
              anyone holding the file can. Keep the file somewhere other than this device.
            </p>
            <Field
              label="Passphrase"
              for={ids.pass}
              hint={`At least ${MIN_PASSPHRASE} characters that are hard to guess; a few unrelated words are best.`}
            >
              <input
                id={ids.pass}
                type="password"
                autocomplete="new-password"
                required
                minlength={MIN_PASSPHRASE}
                value={pass()}
                onInput={(e) => {
                  setPass(e.currentTarget.value);
                  setPhrase(null);
                }}
                aria-describedby={`${ids.pass}-hint ${ids.pass}-reason`}
              />
            </Field>
            <Show when={strength()}>
              {(s) => (
                <p class="small" data-testid="backup-strength" data-score={s().score}>
                  Strength: {SCORE_WORDS[s().score]}
                </p>
              )}
            </Show>
            <Field label="Passphrase again" for={ids.again}>
              <input
                id={ids.again}
                type="password"
                autocomplete="new-password"
                required
                value={again()}
                onInput={(e) => setAgain(e.currentTarget.value)}
                aria-invalid={again() && again() !== pass() ? 'true' : undefined}
              />
            </Field>
            <div class="row">
              <Button variant="link" onClick={() => void useGenerated()}>
                Generate a recovery phrase instead
              </Button>
            </div>
            <Show when={phrase()}>
              {(p) => (
                <div class="stack" data-testid="recovery-phrase-box">
                  <p>Write these eight words down, in order, and keep them apart from the file:</p>
                  <p class="mono" data-testid="recovery-phrase">
                    {p()}
                  </p>
                </div>
              )}
            </Show>
            <Show
              when={byPasskey()}
              fallback={
                <NameConfirmField
                  label="The identity's name, to confirm"
                  value={typedName()}
                  onInput={setTypedName}
                  hint="This identity is sealed by a device key only, so there is no passkey to ask."
                />
              }
            >
              <p class="muted small">Your passkey is asked to confirm the export.</p>
            </Show>
            <Show when={reason()}>
              {(why) => (
                <p class="reason" id={`${ids.pass}-reason`} data-testid="backup-reason" aria-live="polite">
                  {why()}
                </p>
              )}
            </Show>
            <div class="row">
              <Button type="submit" variant="primary" busy={exportFile.pending()} disabled={!!reason()}>
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
