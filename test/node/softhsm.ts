/**
 * SoftHSM2 for the PKCS#11 keystore tests: a token directory and
 * `softhsm2.conf` in a temp dir (SOFTHSM2_CONF points there, for this
 * process and the `dta` children), tokens initialised with
 * `softhsm2-util --init-token --free`. Suites skip with a message when
 * softhsm2 or the optional pkcs11js module is missing, and fail instead
 * when $CI is set.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const SOFTHSM_MODULE = process.env['DTA_SOFTHSM_MODULE'] ?? '/usr/lib/softhsm/libsofthsm2.so';
export const SO_PIN = '87654321';
export const USER_PIN = '246810';

function missing(): string | undefined {
  if (!existsSync(SOFTHSM_MODULE)) return `no SoftHSM2 library at ${SOFTHSM_MODULE} (apt-get install softhsm2)`;
  if (spawnSync('softhsm2-util', ['--version']).status !== 0) return 'softhsm2-util is not on the PATH';
  try {
    createRequire(import.meta.url).resolve('pkcs11js');
  } catch {
    return 'the optional module pkcs11js is not installed';
  }
  return undefined;
}

const why = missing();
export const haveSoftHsm = why === undefined;
if (why) {
  if (process.env['CI']) throw new Error(why);
  console.warn(`${why}: PKCS#11 keystore tests are skipped`);
}

/** A SoftHSM2 configuration of its own under `dir`, made the one this process uses. */
export async function softHsmIn(dir: string): Promise<{ conf: string; initToken: (label: string) => void }> {
  const tokens = join(dir, 'tokens');
  await mkdir(tokens, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  const initToken = (label: string): void => {
    const args = ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', USER_PIN];
    const run = spawnSync('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`softhsm2-util --init-token ${label}: ${run.stderr}`);
  };
  return { conf, initToken };
}

/** A fresh copy of the user PIN's bytes (the keystore wipes the PIN it is given). */
export const pin = (value = USER_PIN): Uint8Array => new TextEncoder().encode(value);
