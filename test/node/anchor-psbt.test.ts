/**
 * PSBT-mode anchoring against the regtest chain the test mines and its Esplora server on 127.0.0.1: the node
 * writes an unsigned PSBT spending the operator's address; `dta anchor psbt` prints it, the test signs it with
 * the operator's key it holds and hands it back with `dta anchor submit`; the node broadcasts it and, once
 * mined, serves a proof that verifies. An operator that broadcasts the signed transaction itself is found by
 * the node through the funding address. A submission without the anchor's payload is refused by the CLI.
 */

import { join } from 'node:path';
import { Transaction } from '@scure/btc-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_KIND } from '../../src/core/anchor/payload.ts';
import { verifyAnchorProof } from '../../src/core/anchor/proof.ts';
import { fromBase64, fromHex, toBase64 } from '../../src/core/bytes.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { regtestKey } from '../support/regtest/network.ts';
import { makeHome, type RunningNode, spawnDta, startInProcess, tempDir, waitFor } from './harness.ts';

interface AnchorView {
  status: string;
  hash: string;
  txid?: string;
  psbt?: string;
  proof?: unknown;
  block?: { height: number };
}

let tmp: { dir: string; cleanup: () => Promise<void> };
let chain: RegtestChain;
let esplora: EsploraServer;
const running: RunningNode[] = [];

beforeAll(async () => {
  tmp = await tempDir('dta-anchor-psbt-');
  chain = new RegtestChain();
  esplora = await startEsplora(chain);
});
afterAll(async () => {
  for (const n of running) await n.close().catch(() => undefined);
  await esplora?.close();
  await tmp?.cleanup();
});

async function psbtNode(name: string, fundingAddress: string): Promise<{ home: string; node: RunningNode }> {
  const anchor = {
    esplora: esplora.url,
    network: 'regtest',
    mode: 'psbt',
    fundingAddress,
    pollMs: 100,
    confirmations: 1,
    checkpointEveryMs: 3_600_000,
  };
  const home = await makeHome(join(tmp.dir, name), { name, config: { plugins: [], anchor } });
  const node = await startInProcess(home);
  running.push(node);
  return { home, node };
}

async function birthWhen(node: RunningNode, ready: (a: AnchorView) => boolean): Promise<AnchorView> {
  return waitFor(async () => {
    const res = await fetch(`${node.url}/v1/anchors/birth`, { signal: AbortSignal.timeout(5000) });
    const a = (await res.json()) as AnchorView;
    return res.ok && ready(a) ? a : undefined;
  }, 20_000);
}

function signPsbt(psbt: string, secretKey: Uint8Array): string {
  const tx = Transaction.fromPSBT(fromBase64(psbt), { allowUnknownOutputs: true });
  tx.sign(secretKey);
  return toBase64(tx.toPSBT());
}

describe('PSBT mode', () => {
  it('dta anchor psbt → the operator signs → dta anchor submit → broadcast, mined, proven', async () => {
    const operator = regtestKey();
    chain.fund(operator.address, 80_000n);
    const { home, node } = await psbtNode('psbt', operator.address);
    const pending = await birthWhen(node, (a) => a.psbt !== undefined);
    expect(pending.status).toBe('pending');

    const printed = await spawnDta(['anchor', 'psbt', '--home', home]);
    expect(await printed.exited).toBe(0);
    expect(printed.output().trim()).toBe(pending.psbt);

    const wrong = Transaction.fromPSBT(fromBase64(pending.psbt!), { allowUnknownOutputs: true });
    wrong.updateOutput(0, { script: fromHex(`6a24647461${'02'}${'00'.repeat(32)}`) });
    const refused = await spawnDta([
      'anchor',
      'submit',
      signPsbt(toBase64(wrong.toPSBT()), operator.secretKey),
      '--home',
      home,
    ]);
    expect(await refused.exited).not.toBe(0);
    expect(refused.output()).toMatch(/OP_RETURN/);

    const submitted = await spawnDta(['anchor', 'submit', signPsbt(pending.psbt!, operator.secretKey), '--home', home]);
    expect(await submitted.exited).toBe(0);
    const sent = await birthWhen(node, (a) => a.status === 'broadcast');
    expect(chain.mempool.has(sent.txid!)).toBe(true);
    chain.mine();
    const done = await birthWhen(node, (a) => a.status === 'confirmed');
    const verified = verifyAnchorProof(
      done.proof,
      { kind: ANCHOR_KIND.birthRecord, hash: fromHex(done.hash) },
      { network: 'regtest' },
    );
    expect([verified.txid, verified.height]).toEqual([sent.txid, chain.height]);

    const status = await spawnDta(['anchor', 'status', '--home', home]);
    expect(await status.exited).toBe(0);
    expect(JSON.parse(status.output())).toEqual([
      expect.objectContaining({ id: 'birth', status: 'confirmed', txid: sent.txid, block: chain.height }),
    ]);
  });

  it('the operator broadcasts the signed transaction itself: the node finds it at the funding address', async () => {
    const operator = regtestKey();
    chain.fund(operator.address, 80_000n);
    const { node } = await psbtNode('psbt-watch', operator.address);
    const pending = await birthWhen(node, (a) => a.psbt !== undefined);
    const tx = Transaction.fromPSBT(fromBase64(signPsbt(pending.psbt!, operator.secretKey)), {
      allowUnknownOutputs: true,
    });
    tx.finalize();
    const txid = chain.submit(tx.extract());
    const seen = await birthWhen(node, (a) => a.status === 'broadcast');
    expect(seen.txid).toBe(txid);
    chain.mine();
    const done = await birthWhen(node, (a) => a.status === 'confirmed');
    expect(done.block!.height).toBe(chain.height);
  });
});
