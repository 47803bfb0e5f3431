// `dta custody order|retrieve` against three `dta serve` processes, t = 2: the principal's home deals a file to
// all three and writes its receipt; `--resume` posts the same requests again (each node answers with the reply
// it committed); the beneficiary's home retrieves the file with one node killed, which the report names.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliceAndBobHomes, useFleet } from './fleet-for-file.ts';
import { printedJson, spawnDta } from './harness.ts';

const setup = useFleet('dta-custody-cli-', 3, ['custody']);

describe('dta custody', () => {
  it('orders 2-of-3 with a receipt, resumes idempotently, and retrieves with a node down', async () => {
    const { p, b, bobCid } = await aliceAndBobHomes(setup);
    expect(bobCid).toMatch(/^bafy\w+$/);
    const urls = setup.fleet.children.map((c) => c!.url);
    await writeFile(join(setup.dir, 'secret.txt'), 'a seed phrase in threshold custody');
    const receipt = join(setup.dir, 'receipt.json');
    const ordered = await spawnDta([
      ...['custody', 'order', '--home', p, '--nodes', urls.join(','), '--t', '2'],
      ...['--beneficiary', bobCid, '--secret-file', join(setup.dir, 'secret.txt'), '--receipt', receipt],
    ]);
    expect(ordered.output()).toMatch(/node 3 \(bafy\w+\): committed/);
    const result = printedJson(ordered.output());
    expect(result.placed).toHaveLength(3);
    expect((await stat(receipt)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(receipt, 'utf8')) as { group: string; nodes: { order: string }[] };
    expect(saved.group).toBe(result.group);

    const resumed = printedJson((await spawnDta(['custody', 'order', '--home', p, '--resume', receipt])).output());
    expect((resumed.placed as { order: string }[]).map((o) => o.order)).toEqual(saved.nodes.map((n) => n.order));

    await setup.fleet.children[1]!.kill();
    const out = join(setup.dir, 'got.bin');
    const got = await spawnDta(['custody', 'retrieve', '--home', b, '--receipt', receipt, '--out', out]);
    const report = printedJson(got.output());
    expect(report).toMatchObject({ group: saved.group, written: out, wrong: [] });
    expect(report.failed).toHaveLength(1);
    expect(await readFile(out, 'utf8')).toBe('a seed phrase in threshold custody');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });
});
