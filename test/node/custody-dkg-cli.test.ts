// `dta custody keygen` and `dta custody retrieve` of its receipt against three `dta serve` processes, t = 2: the
// principal's home has the nodes generate a key (a DKG) and binds it to three orders for Bob, writing a receipt
// with the session, group key and commitments; `--resume` posts the same orders again; Bob's home retrieves the
// key with one node killed, and its public key is the group key the receipt names.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import { useFleet } from './fleet-for-file.ts';
import { printedJson, sharedCore, spawnDta } from './harness.ts';

const setup = useFleet('dta-custody-dkg-cli-', 3, ['custody']);
let bobCid: string;
const p = () => join(setup.dir, 'alice');
const b = () => join(setup.dir, 'bob');

describe('dta custody keygen', () => {
  it('generates a key 2-of-3 with a receipt, resumes idempotently, and Bob retrieves it with a node down', async () => {
    const create = (home: string, name: string) =>
      spawnDta(['identity', 'create', '--home', home, '--name', name, '--scrypt-log-n', '14']);
    const [, bob] = await Promise.all([create(p(), 'alice'), create(b(), 'bob')]);
    bobCid = bob.output().trim();
    const urls = setup.fleet.children.map((c) => c!.url);
    await spawnDta(['identity', 'register', '--home', b(), '--url', urls[0]!]);
    const receipt = join(setup.dir, 'key.json');
    const made = await spawnDta([
      ...['custody', 'keygen', '--home', p(), '--nodes', urls.join(','), '--t', '2'],
      ...['--beneficiary', bobCid, '--receipt', receipt],
    ]);
    expect(made.output()).toMatch(/node 3 \(bafy\w+\): committed/);
    const result = printedJson(made.output());
    expect(result.placed).toHaveLength(3);
    expect((await stat(receipt)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(receipt, 'utf8')) as { dkg: string; nodes: { order: string }[] };
    expect(saved.dkg).toBe(result.dkg);

    const resumed = printedJson((await spawnDta(['custody', 'keygen', '--home', p(), '--resume', receipt])).output());
    expect((resumed.placed as { order: string }[]).map((o) => o.order)).toEqual(saved.nodes.map((n) => n.order));

    await setup.fleet.children[2]!.kill();
    const out = join(setup.dir, 'key.bin');
    const got = await spawnDta(['custody', 'retrieve', '--home', b(), '--receipt', receipt, '--out', out]);
    const report = printedJson(got.output());
    expect(report).toMatchObject({ dkg: saved.dkg, group: 'bls12-381', groupKey: result.groupKey, wrong: [] });
    expect(report.failed).toHaveLength(1);
    const secret = new Uint8Array(await readFile(out));
    expect(toHex(blsGroup(await sharedCore()).publicKey(secret))).toBe(result.groupKey);
    expect(fromHex(result.groupKey as string)).toHaveLength(48);
    await setup.fleet.start(2);
  });

  it('--resume of a receipt whose DKG finished before any order was written binds that key', async () => {
    const urls = setup.fleet.children.map((c) => c!.url);
    const dkg = printedJson(
      (
        await spawnDta([
          ...['dkg', 'run', '--home', p(), '--nodes', urls.join(','), '--t', '2'],
          ...['--group', 'bls12-381', '--purpose', 'custody:secret'],
        ])
      ).output(),
    ) as { session: string; sessionDocument: string; groupKey: string; nodes: { url: string; node: string }[] };
    // What keygen had on disk when it was killed after the DKG: the session, no key, no orders.
    const bobDoc = (await spawnDta(['identity', 'show', '--home', b()])).output();
    const document = (printedJson(bobDoc).document as { '/': { bytes: string } })['/'].bytes;
    const receipt = join(setup.dir, 'interrupted.json');
    const nodes = dkg.nodes.map((n) => ({ url: n.url, node: n.node }));
    const written = { version: 1, kind: 'custody-dkg', dkg: dkg.session, session: dkg.sessionDocument };
    await writeFile(
      receipt,
      JSON.stringify({ ...written, beneficiary: Buffer.from(document, 'base64').toString('base64'), nodes }),
    );
    const resumed = printedJson((await spawnDta(['custody', 'keygen', '--home', p(), '--resume', receipt])).output());
    expect(resumed.placed).toHaveLength(3);
    expect(resumed.groupKey).toBe(toHex(fromBase64(dkg.groupKey)));
    const out = join(setup.dir, 'key2.bin');
    await spawnDta(['custody', 'retrieve', '--home', b(), '--receipt', receipt, '--out', out]);
    const secret = new Uint8Array(await readFile(out));
    expect(toHex(blsGroup(await sharedCore()).publicKey(secret))).toBe(resumed.groupKey);
  });
});
