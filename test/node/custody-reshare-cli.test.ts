// `dta custody reshare` against four `dta serve` processes: the principal's home deals a file 2-of-3 to nodes 1-3,
// moves the group to nodes 2-4 (2-of-3) with the receipt it wrote, and the beneficiary retrieves the file from the
// new receipt with node 1 gone; the old receipt's orders then answer share_moved. `--resume` is idempotent.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliceAndBobHomes, useFleet } from './fleet-for-file.ts';
import { printedJson, spawnDta } from './harness.ts';

const setup = useFleet('dta-reshare-cli-', 4, ['custody']);

describe('dta custody reshare', () => {
  it('moves a 2-of-3 group to another committee; the new receipt retrieves, the old one is moved', async () => {
    const { p, b, bobCid } = await aliceAndBobHomes(setup);
    const urls = setup.fleet.children.map((c) => c!.url);
    await writeFile(join(setup.dir, 'secret.txt'), 'a seed phrase moved between committees');
    const first = join(setup.dir, 'first.json');
    await spawnDta([
      ...['custody', 'order', '--home', p, '--nodes', urls.slice(0, 3).join(','), '--t', '2'],
      ...['--beneficiary', bobCid, '--secret-file', join(setup.dir, 'secret.txt'), '--receipt', first],
    ]);
    const second = join(setup.dir, 'second.json');
    const moved = await spawnDta([
      ...['custody', 'reshare', '--home', p, '--group', first, '--nodes', urls.slice(1).join(','), '--t', '2'],
      ...['--receipt', second],
    ]);
    expect(moved.output()).toMatch(/place: 3\/3/);
    const result = printedJson(moved.output());
    expect(result.confirmed).toHaveLength(3);
    expect(result.unconfirmed).toEqual([]);
    expect((await stat(second)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(second, 'utf8')) as { group: string; nodes: { order: string }[] };
    expect(saved.group).toBe(result.group);
    expect(saved.nodes.map((n) => n.order)).toEqual(result.orders);

    // --resume posts the same orders again (each node answers its committed reply) and confirms again (idempotent).
    const again = await spawnDta(['custody', 'reshare', '--home', p, '--group', first, '--resume', second]);
    const resumed = printedJson(again.output());
    expect(resumed).toMatchObject({ group: saved.group, orders: result.orders, unconfirmed: [] });
    expect(resumed.confirmed).toHaveLength(3);

    await setup.fleet.children[0]!.kill();
    const out = join(setup.dir, 'got.bin');
    const got = printedJson(
      (await spawnDta(['custody', 'retrieve', '--home', b, '--receipt', second, '--out', out])).output(),
    );
    expect(got).toMatchObject({ group: saved.group, wrong: [], failed: [] });
    expect(await readFile(out, 'utf8')).toBe('a seed phrase moved between committees');

    const old = await spawnDta(['custody', 'retrieve', '--home', b, '--receipt', first]);
    expect(old.output()).toMatch(/share_moved/);
  }, 180_000);
});
