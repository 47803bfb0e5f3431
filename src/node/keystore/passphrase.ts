/**
 * Where the keystore passphrase comes from, in this order:
 *   1. the DTA_PASSPHRASE environment variable (removed from the environment once read);
 *   2. a key file (`--key-file <path>` or DTA_KEY_FILE): its contents are the passphrase;
 *   3. for `npm start` / `dta start` only, `<home>/passphrase`, generated on first start (mode 0600);
 *   4. a prompt on the terminal (input not echoed).
 * Never from a command-line argument (it would show in `ps` and shell history).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createDurable, readIfExists } from '../fsutil.ts';
import { NoPassphraseError } from './errors.ts';

export interface PassphraseOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of a key file given on the command line. */
  keyFile?: string;
  /** A key file the node generates if missing (`dta start` only). */
  generatedKeyFile?: string;
  /** Ask twice on a terminal (creating a keystore). */
  confirm?: boolean;
}

export interface Passphrase {
  readonly bytes: Uint8Array;
  /** Where it came from, for the operator (never the value). */
  readonly source: string;
}

const MIN_LENGTH = 8;

/** Reads a key file, refusing one that others can read (like ssh does with private keys). */
async function readKeyFile(path: string): Promise<Uint8Array | undefined> {
  const bytes = await readIfExists(path);
  if (!bytes) return undefined;
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    throw new NoPassphraseError(`key file ${path} is readable by other users; chmod 600 it`);
  }
  const text = bytes.toString('utf8').trim().normalize('NFKC');
  bytes.fill(0);
  if (text.length < MIN_LENGTH)
    throw new NoPassphraseError(`key file ${path} holds fewer than ${MIN_LENGTH} characters`);
  return new TextEncoder().encode(text);
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    let line = '';
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done(new NoPassphraseError('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function fromPrompt(confirm: boolean): Promise<Passphrase> {
  if (!process.stdin.isTTY) {
    throw new NoPassphraseError('no passphrase: set DTA_PASSPHRASE, pass --key-file <path>, or run on a terminal');
  }
  const first = await promptHidden('Keystore passphrase: ');
  if (first.length < MIN_LENGTH)
    throw new NoPassphraseError(`the passphrase must have at least ${MIN_LENGTH} characters`);
  if (confirm && (await promptHidden('Repeat the passphrase: ')) !== first)
    throw new NoPassphraseError('the passphrases differ');
  return { bytes: new TextEncoder().encode(first.normalize('NFKC')), source: 'prompt' };
}

/** The passphrase from the first source that has one (see the module comment). */
export async function getPassphrase(options: PassphraseOptions = {}): Promise<Passphrase> {
  const env = options.env ?? process.env;
  const value = env.DTA_PASSPHRASE;
  // Gone from the environment once read: child processes and dumps of process.env no longer see it
  // (/proc/<pid>/environ keeps the value the process started with: prefer a key file, README "Running a node").
  delete env.DTA_PASSPHRASE;
  if (value !== undefined && value !== '') {
    if (value.length < MIN_LENGTH)
      throw new NoPassphraseError(`DTA_PASSPHRASE must have at least ${MIN_LENGTH} characters`);
    return { bytes: new TextEncoder().encode(value.normalize('NFKC')), source: 'DTA_PASSPHRASE' };
  }
  const keyFile = options.keyFile ?? (env.DTA_KEY_FILE || undefined);
  if (keyFile !== undefined) {
    const bytes = await readKeyFile(keyFile);
    if (!bytes) throw new NoPassphraseError(`key file ${keyFile} does not exist`);
    return { bytes, source: `key file ${keyFile}` };
  }
  if (options.generatedKeyFile !== undefined) {
    const path = options.generatedKeyFile;
    const existing = await readKeyFile(path);
    if (existing) return { bytes: existing, source: `key file ${path}` };
    await createDurable(path, new TextEncoder().encode(`${randomBytes(32).toString('base64url')}\n`), 0o600);
    const bytes = await readKeyFile(path);
    if (!bytes) throw new NoPassphraseError(`could not create ${path}`);
    return { bytes, source: `key file ${path} (generated now)` };
  }
  return fromPrompt(options.confirm ?? false);
}
