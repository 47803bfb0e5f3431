/**
 * The `anchor` key of config.json: off when absent, defaults filled in, and the refusals that name the key
 * (a funding address in wallet mode, no trusted block off regtest, an unknown network, an unknown field).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/node/config.ts';
import { makeHome, tempDir } from './harness.ts';

async function configWith(anchor: unknown) {
  const tmp = await tempDir('dta-anchor-config-');
  try {
    const home = await makeHome(`${tmp.dir}/home`, { config: anchor === undefined ? {} : { anchor } });
    return await loadConfig({ home });
  } finally {
    await tmp.cleanup();
  }
}

const BASE = { esplora: 'http://127.0.0.1:3002', network: 'regtest', mode: 'wallet' };

describe('config: anchor', () => {
  it('is off by default, and gets its defaults when on', async () => {
    expect((await configWith(undefined)).anchor).toBeUndefined();
    expect((await configWith(BASE)).anchor).toEqual({
      ...BASE,
      checkpointEveryMs: 86_400_000,
      confirmations: 6,
      feeRate: 2,
      pollMs: 30_000,
    });
  });

  it('refuses what cannot work, naming it', async () => {
    await expect(configWith({ ...BASE, fundingAddress: 'bcrt1qexampleexampleexample' })).rejects.toThrow(
      /fundingAddress.*psbt mode/,
    );
    await expect(configWith({ ...BASE, network: 'mainnet' })).rejects.toThrow(/"trust".*required on mainnet/);
    await expect(configWith({ ...BASE, network: 'bitcoin' })).rejects.toThrow(ConfigError);
    await expect(configWith({ ...BASE, confirmations: 0 })).rejects.toThrow(/"anchor.confirmations"/);
    await expect(configWith({ ...BASE, esplora: 'ftp://x' })).rejects.toThrow(/"anchor.esplora"/);
    await expect(configWith({ ...BASE, extra: 1 })).rejects.toThrow(/unknown field/);
  });

  it('takes a trusted block off regtest', async () => {
    const trust = { height: 840_000, hash: '0'.repeat(64), bits: 0x17034219 };
    const cfg = await configWith({ ...BASE, network: 'mainnet', mode: 'psbt', trust });
    expect(cfg.anchor).toMatchObject({ network: 'mainnet', mode: 'psbt', trust });
  });
});
