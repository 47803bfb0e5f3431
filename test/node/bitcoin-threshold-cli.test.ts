// Bitcoin threshold mode from the command line, against three `dta serve` processes, t = 2: `dta dkg run` has the
// nodes generate F (secp256k1, "bitcoin:fiduciary key"), `dta order --plugin bitcoin --dkg` orders the same
// address of F + B at each node, and `dta retrieve --plugin bitcoin --threshold` with one node killed recovers
// k = f + b from the other two and writes its WIF, whose key owns the address every node answered.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WIF } from '@scure/btc-signer';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.ts';
import { addressOf } from '../../src/plugins/bitcoin/address.ts';
import { generateShare, parsePublicKey, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { useFleet } from './fleet-for-file.ts';
import { printedJson, spawnDta } from './harness.ts';

const setup = useFleet('dta-bitcoin-threshold-cli-', 3, ['bitcoin']);

describe('dta order --dkg / dta retrieve --threshold', () => {
  it('orders one address of F + B at three nodes and recovers its key from two', async () => {
    const home = join(setup.dir, 'alice');
    await spawnDta(['identity', 'create', '--home', home, '--name', 'alice', '--scrypt-log-n', '14']);
    const urls = setup.fleet.children.map((c) => c!.url);
    const dkg = printedJson(
      (
        await spawnDta([
          ...['dkg', 'run', '--home', home, '--nodes', urls.join(','), '--t', '2'],
          ...['--group', 'secp256k1', '--purpose', 'bitcoin:fiduciary key'],
        ])
      ).output(),
    );
    const b = generateShare();
    const B = Buffer.from(publicKeyOf(b)).toString('base64').replace(/=+$/, '');
    const content = JSON.stringify({
      network: 'regtest',
      addressType: 'p2wpkh',
      beneficiaryPublicKey: { '/': { bytes: B } },
    });
    const orders = [];
    for (const url of urls) {
      const args = ['order', '--home', home, '--url', url, '--plugin', 'bitcoin', '--dkg', dkg.session as string];
      orders.push(printedJson((await spawnDta([...args, '--content', content])).output()));
    }
    const addresses = orders.map((o) => (o.content as { address: string }).address);
    expect(new Set(addresses).size).toBe(1);

    await setup.fleet.children[1]!.kill();
    const secretFile = join(setup.dir, 'b.hex');
    await writeFile(secretFile, toHex(b));
    const out = join(setup.dir, 'key.wif');
    const ids = orders.map((o) => o.order as string);
    const got = await spawnDta([
      ...['retrieve', '--home', home, '--plugin', 'bitcoin', '--threshold', '--url', urls.join(',')],
      ...['--order', ids.join(','), '--secret-file', secretFile, '--out', out],
    ]);
    const report = printedJson(got.output());
    expect(report).toMatchObject({ address: addresses[0], usedIndices: [1, 3], wrong: [] });
    expect(report.failed).toHaveLength(1);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const k = WIF({ wif: 0xef, bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4 }).decode(
      (await readFile(out, 'utf8')).trim(),
    );
    expect(addressOf('p2wpkh', parsePublicKey(publicKeyOf(k), 'k'), network('regtest'))).toBe(addresses[0]);
  });
});
