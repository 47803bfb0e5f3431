// kill -9 with the keystore's key in a PKCS#11 token (real SoftHSM2), as with the passphrase keystore: a process
// putting secrets four at a time is killed mid-stream, and every secret it acknowledged reads back while every
// record left behind opens (nothing half-written) — the same check runs on the file keystore for comparison; and
// a `dta serve` on a token home killed during concurrent orders loses no accepted order, every secret redeemable.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../src/core/api/node-api.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { homePaths, loadConfig } from '../../src/node/config.ts';
import { initHome } from '../../src/node/home.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import type { KeystoreSettings, Pkcs11Settings } from '../../src/node/keystore/settings.ts';
import { fileKeystorePlace, openKeystore } from '../../src/node/keystore/unlock.ts';
import { startNode } from '../../src/node/node.ts';
import { safeguardOrderContent } from '../../src/plugins/safeguard/order.ts';
import { postEnvelope } from './crash-node.ts';
import {
  type Child,
  clientIdentity,
  clientOf,
  NODE_BIN,
  PASS,
  PASSPHRASE,
  sharedCore,
  spawnDta,
  tempDir,
  waitFor,
} from './harness.ts';
import { haveSoftHsm, pin, SOFTHSM_MODULE, softHsmIn, USER_PIN } from './softhsm.ts';

const PUT_CHILD = join(import.meta.dirname, 'keystore-put-child.ts');
const TOKEN: Pkcs11Settings = { kind: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: 'dta-crash', keyLabel: 'dta-kek' };

let tmp: { dir: string; cleanup: () => Promise<void> };
let conf: string;
let child: Child | undefined;

/** Runs the put child on `dir`, kills it with SIGKILL once it acknowledged `atLeast` puts; what it acknowledged. */
async function killDuringPuts(dir: string, settings: KeystoreSettings, env: Record<string, string>, atLeast = 40) {
  const proc: ChildProcess = spawn(NODE_BIN, [PUT_CHILD, dir, JSON.stringify(settings)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked = new Map<string, string>();
  let pending = '';
  let errors = '';
  proc.stdout!.on('data', (d: Buffer) => {
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const [ok, name, hex] = line.split(' ');
      if (ok === 'ok') acked.set(name!, hex!);
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<string | number>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code!)));
  let done = false;
  void exited.then(() => (done = true));
  try {
    await waitFor(() => {
      if (done) throw new Error(`the put child ended: ${errors}`);
      return acked.size >= atLeast ? true : undefined;
    }, 30_000);
  } finally {
    proc.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return acked;
}

/** Every acknowledged secret reads back; every record present opens; no temporary file is left once reopened. */
async function expectIntact(dir: string, settings: KeystoreSettings, unlock: Uint8Array, acked: Map<string, string>) {
  const keystore = await openKeystore(await fileKeystorePlace(dir), settings, unlock);
  try {
    for (const [name, hex] of acked) expect(Buffer.from((await keystore.get(name))!).toString('hex')).toBe(hex);
    const present = await keystore.list('crash/');
    expect(present.length).toBeGreaterThanOrEqual(acked.size);
    for (const name of present) expect((await keystore.get(name))?.length).toBe(32);
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  } finally {
    await keystore.close();
  }
}

describe.skipIf(!haveSoftHsm)('kill -9 with the keystore in a PKCS#11 token (SoftHSM2)', () => {
  beforeAll(async () => {
    tmp = await tempDir('dta-pkcs11-crash-');
    const hsm = await softHsmIn(join(tmp.dir, 'softhsm'));
    conf = hsm.conf;
    hsm.initToken(TOKEN.tokenLabel);
  });

  afterAll(async () => {
    await child?.kill();
    await tmp?.cleanup();
  });

  it('killed during puts: every acknowledged secret reads back, nothing is half-written (token and file alike)', async () => {
    const core = await sharedCore();
    await (
      await initHome(core, join(tmp.dir, 'token-home'), pin(), { name: 'crash', keystore: TOKEN })
    ).keystore.close();
    const tokenKeystore = homePaths(join(tmp.dir, 'token-home')).keystore;
    const acked = await killDuringPuts(tokenKeystore, TOKEN, { SOFTHSM2_CONF: conf, DTA_PKCS11_PIN: USER_PIN });
    await expectIntact(tokenKeystore, TOKEN, pin(), acked);

    const fileKeystore = join(tmp.dir, 'file-keystore');
    await (await FileKeystore.create(fileKeystore, PASS, { scryptLogN: 14 })).close();
    const fileAcked = await killDuringPuts(fileKeystore, { kind: 'file' }, { DTA_PASSPHRASE: PASSPHRASE });
    await expectIntact(fileKeystore, { kind: 'file' }, PASS, fileAcked);
  });

  it('dta serve killed during concurrent orders: every accepted order survives, every secret is redeemable', async () => {
    const home = join(tmp.dir, 'fiduciary');
    const keystore: Pkcs11Settings = { ...TOKEN, keyLabel: 'fiduciary-kek' };
    const core = await sharedCore();
    await (await initHome(core, home, pin(), { name: 'fiduciary', keystore })).keystore.close();
    // no load shedding (as harness.ts makeHome): a loaded test machine must not turn orders away
    const config = {
      port: 0,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      maxEventLoopDelayMs: 0,
      plugins: ['safeguard'],
      keystore,
    };
    await writeFile(homePaths(home).config, JSON.stringify(config));
    const [alice, bob] = (await Promise.all(['alice', 'bob'].map(clientIdentity))) as [KeyIdentity, KeyIdentity];
    const once = await startNode(await loadConfig({ home }), pin(), { core });
    try {
      const api = new NodeApi(await once.listen());
      await api.registerIdentity(alice.identity.bytes);
      await api.registerIdentity(bob.identity.bytes);
    } finally {
      await once.close();
    }
    const env = { SOFTHSM2_CONF: conf, DTA_PKCS11_PIN: USER_PIN };
    child = await spawnDta(['serve', '--home', home], env, 45_000);
    const asAlice = await clientOf(child.url, alice);
    const secrets = Array.from({ length: 12 }, (_, i) => new TextEncoder().encode(`token-sealed secret ${i}`));
    const envelopes = await Promise.all(
      secrets.map(async (secret) =>
        asAlice.request({
          type: 'safeguard/order',
          intentFor: bob.identity,
          content: await safeguardOrderContent(asAlice.me, asAlice.node, { beneficiary: bob.identity.cid, secret }),
        }),
      ),
    );
    const accepted = new Map<string, string>(); // order id -> reply cid
    const killed = child;
    await Promise.all(
      envelopes.map(async (env) => {
        const r = await postEnvelope<{ order: string; cid: string }>(killed.url, '/v1/orders', env.bytes);
        if (r?.status !== 201) return;
        accepted.set(r.json.order, r.json.cid);
        if (accepted.size === 3) void killed.kill('SIGKILL');
      }),
    );
    expect(await killed.exited).toBe('SIGKILL');
    expect(accepted.size).toBeGreaterThanOrEqual(3);

    child = await spawnDta(['serve', '--home', home], env, 45_000);
    const again = await clientOf(child.url, alice);
    const asBob = await clientOf(child.url, bob);
    for (const [id, cid] of accepted) expect((await again.api.order(id)).order.head).toBe(cid);
    for (const [i, env] of envelopes.entries()) {
      expect((await again.postOrder(env)).reply.order).toBe(env.cid.toString()); // committed before, or now
      const got = (await asBob.redeem('safeguard', env.cid.toString())).content as { secret: Uint8Array };
      expect(Buffer.from(got.secret).equals(Buffer.from(secrets[i]!))).toBe(true);
    }
    await child.kill('SIGTERM');
  }, 180_000);
});
