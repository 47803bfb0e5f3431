// A process that puts secrets into a keystore as fast as it can, four at a time, and prints `ok <name> <hex>` once
// each put has resolved (the keystore's promise that the secret is durable): keystore-crash tests kill it with
// SIGKILL mid-stream and check what it acknowledged. Usage: node keystore-put-child.ts <keystore dir> <settings
// JSON>; the secret comes from DTA_PASSPHRASE (file) or DTA_PKCS11_PIN (pkcs11).
import { randomBytes } from 'node:crypto';
import type { KeystoreSettings } from '../../src/node/keystore/settings.ts';
import { fileKeystorePlace, openKeystore } from '../../src/node/keystore/unlock.ts';

const [dir, json] = process.argv.slice(2) as [string, string];
const settings = JSON.parse(json) as KeystoreSettings;
const secret = new TextEncoder().encode(
  (settings.kind === 'pkcs11' ? process.env.DTA_PKCS11_PIN : process.env.DTA_PASSPHRASE) ?? '',
);
const keystore = await openKeystore(await fileKeystorePlace(dir), settings, secret);
process.stdout.write('ready\n');
let next = 0;
async function loop(): Promise<never> {
  for (;;) {
    const name = `crash/${process.pid}-${next++}`;
    const bytes = randomBytes(32);
    await keystore.put(name, bytes);
    process.stdout.write(`ok ${name} ${bytes.toString('hex')}\n`);
  }
}
await Promise.all([loop(), loop(), loop(), loop()]);
