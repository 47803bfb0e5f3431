// `dta custody keygen` and `dta custody retrieve` of its receipt against three `dta serve` processes, t = 2: the
// principal's home has the nodes generate a key (a DKG) and binds it to three orders for Bob, writing a receipt
// with the session, group key and commitments; `--resume` posts the same orders again; Bob's home retrieves the
// key with one node killed, and its public key is the group key the receipt names.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import { type Fleet, startFleet } from './custody-nodes.ts';
import { sharedCore, spawnDta, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let fleet: Fleet;
let bobCid: string;
const p = () => join(tmp.dir, 'alice');
const b = () => join(tmp.dir, 'bob');

/** The JSON a command prints on stdout (its progress lines go to stderr, which the harness mixes in). */
function printed(output: string): Record<string, unknown> {
  const at = output.search(/^\{/m);
  if (at < 0) throw new Error(`no JSON in: ${output}`);
  return JSON.parse(output.slice(at)) as Record<string, unknown>;
}

beforeAll(async () => {
  tmp = await tempDir('dta-custody-dkg-cli-');
  fleet = await startFleet(tmp.dir, 3, ['custody']);
}, 120_000);

afterAll(async () => {
  await fleet?.stopAll();
  await tmp?.cleanup();
});

describe('dta custody keygen', () => {
  it('generates a key 2-of-3 with a receipt, resumes idempotently, and Bob retrieves it with a node down', async () => {
    const create = (home: string, name: string) =>
      spawnDta(['identity', 'create', '--home', home, '--name', name, '--scrypt-log-n', '14']);
    const [, bob] = await Promise.all([create(p(), 'alice'), create(b(), 'bob')]);
    bobCid = bob.output().trim();
    const urls = fleet.children.map((c) => c!.url);
    await spawnDta(['identity', 'register', '--home', b(), '--url', urls[0]!]);
    const receipt = join(tmp.dir, 'key.json');
    const made = await spawnDta([
      ...['custody', 'keygen', '--home', p(), '--nodes', urls.join(','), '--t', '2'],
      ...['--beneficiary', bobCid, '--receipt', receipt],
    ]);
    expect(made.output()).toMatch(/node 3 \(bafy\w+\): committed/);
    const result = printed(made.output());
    expect(result.placed).toHaveLength(3);
    expect((await stat(receipt)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(receipt, 'utf8')) as { dkg: string; nodes: { order: string }[] };
    expect(saved.dkg).toBe(result.dkg);

    const resumed = printed((await spawnDta(['custody', 'keygen', '--home', p(), '--resume', receipt])).output());
    expect((resumed.placed as { order: string }[]).map((o) => o.order)).toEqual(saved.nodes.map((n) => n.order));

    await fleet.children[2]!.kill();
    const out = join(tmp.dir, 'key.bin');
    const got = await spawnDta(['custody', 'retrieve', '--home', b(), '--receipt', receipt, '--out', out]);
    const report = printed(got.output());
    expect(report).toMatchObject({ dkg: saved.dkg, group: 'bls12-381', groupKey: result.groupKey, wrong: [] });
    expect(report.failed).toHaveLength(1);
    const secret = new Uint8Array(await readFile(out));
    expect(toHex(blsGroup(await sharedCore()).publicKey(secret))).toBe(result.groupKey);
    expect(fromHex(result.groupKey as string)).toHaveLength(48);
    await fleet.start(2);
  });

  it('--resume of a receipt whose DKG finished before any order was written binds that key', async () => {
    const urls = fleet.children.map((c) => c!.url);
    const dkg = printed(
      (
        await spawnDta([
          ...['dkg', 'run', '--home', p(), '--nodes', urls.join(','), '--t', '2'],
          ...['--group', 'bls12-381', '--purpose', 'custody:secret'],
        ])
      ).output(),
    ) as { session: string; sessionDocument: string; groupKey: string; nodes: { url: string; node: string }[] };
    // What keygen had on disk when it was killed after the DKG: the session, no key, no orders.
    const bobDoc = (await spawnDta(['identity', 'show', '--home', b()])).output();
    const document = (printed(bobDoc).document as { '/': { bytes: string } })['/'].bytes;
    const receipt = join(tmp.dir, 'interrupted.json');
    const nodes = dkg.nodes.map((n) => ({ url: n.url, node: n.node }));
    const written = { version: 1, kind: 'custody-dkg', dkg: dkg.session, session: dkg.sessionDocument };
    await writeFile(
      receipt,
      JSON.stringify({ ...written, beneficiary: Buffer.from(document, 'base64').toString('base64'), nodes }),
    );
    const resumed = printed((await spawnDta(['custody', 'keygen', '--home', p(), '--resume', receipt])).output());
    expect(resumed.placed).toHaveLength(3);
    expect(resumed.groupKey).toBe(toHex(fromBase64(dkg.groupKey)));
    const out = join(tmp.dir, 'key2.bin');
    await spawnDta(['custody', 'retrieve', '--home', b(), '--receipt', receipt, '--out', out]);
    const secret = new Uint8Array(await readFile(out));
    expect(toHex(blsGroup(await sharedCore()).publicKey(secret))).toBe(resumed.groupKey);
  });
});
