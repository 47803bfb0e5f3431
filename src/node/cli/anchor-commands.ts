/**
 * dta anchor status | address | psbt | submit: the operator's side of the
 * node's Bitcoin anchoring (src/node/anchor/). They read the anchor files
 * under `<home>/anchors/` beside a running node; `submit` hands a signed
 * transaction to it through `anchors/submitted/` (the node is the only
 * writer of the records, and broadcasts it on its next round). Only
 * `address` unlocks the keystore: the wallet key is derived from the seed.
 * The anchoring modules (and @scure/btc-signer) are imported by the commands
 * that use them, so that every other command starts as fast as before.
 * @module
 */
import type { AnchorRecord, AnchorStore } from '../anchor/store.ts';
import { homePaths, loadConfig } from '../config.ts';
import { type Command, UsageError } from './main.ts';

type Values = Record<string, string | boolean | undefined>;

async function anchorsOf(v: Values) {
  const config = await loadConfig(typeof v.home === 'string' ? { home: v.home } : {});
  if (!config.anchor) throw new UsageError(`anchoring is off in ${homePaths(config.home).config} (no "anchor" key)`);
  const { AnchorStore } = await import('../anchor/store.ts');
  return { config, settings: config.anchor, store: AnchorStore.reader(homePaths(config.home).anchors) };
}

function summary(r: AnchorRecord) {
  return {
    id: r.id,
    status: r.state,
    hash: r.hash,
    ...(r.txid ? { txid: r.txid } : {}),
    ...(r.anchored ? { block: r.anchored.height, time: new Date(r.anchored.time * 1000).toISOString() } : {}),
    ...(r.lastError ? { error: `${r.lastError.code}: ${r.lastError.message}` } : {}),
  };
}

/** The record `--id` names, else the first one still waiting for a transaction. */
async function waiting(store: AnchorStore, v: Values): Promise<AnchorRecord> {
  const id = typeof v.id === 'string' ? v.id : undefined;
  const record = id ? await store.get(id) : (await store.list()).find((r) => r.state === 'pending');
  if (!record) throw new Error(id ? `no anchor ${id}` : 'no anchor is waiting for a transaction');
  if (record.state !== 'pending') throw new Error(`anchor ${record.id} already has its transaction (${record.txid})`);
  return record;
}

async function runPsbt(v: Values): Promise<void> {
  const { settings, store } = await anchorsOf(v);
  if (settings.mode !== 'psbt') throw new UsageError('anchor mode is "wallet": the node signs itself');
  const record = await waiting(store, v);
  if (record.psbt) {
    console.log(record.psbt);
    return;
  }
  if (settings.fundingAddress !== undefined)
    throw new Error(`no PSBT yet for ${record.id}: ${record.lastError?.message ?? 'the node has not built it yet'}`);
  // No funding address: the operator's wallet adds inputs to an OP_RETURN output of this payload.
  console.log(`no funding address configured: pay an OP_RETURN output of data ${record.payload}`);
  console.log(`e.g. bitcoin-cli send '[{"data":"${record.payload}"}]', then dta anchor submit <raw tx hex>`);
}

async function runSubmit(v: Values, positionals: string[]): Promise<void> {
  if (positionals.length !== 1) throw new UsageError('give one signed transaction (hex) or signed PSBT (base64)');
  const { store } = await anchorsOf(v);
  const record = await waiting(store, v);
  const { anchorScript } = await import('../../core/anchor/payload.ts');
  const { fromHex } = await import('../../core/bytes.ts');
  const { submittedTx } = await import('../anchor/transaction.ts');
  const tx = submittedTx(positionals[0]!, anchorScript(fromHex(record.payload)));
  if (!(await store.submit(record.id, positionals[0]!)))
    throw new Error(`a transaction for ${record.id} is already handed in; the node has not taken it yet`);
  console.log(`dta: transaction ${tx.txid} handed to the node for anchor ${record.id}`);
}

async function runAddress(v: Values): Promise<void> {
  const { config, settings } = await anchorsOf(v);
  if (settings.mode !== 'wallet') throw new UsageError('anchor mode is "psbt": the operator pays');
  const { getPassphrase } = await import('../keystore/passphrase.ts');
  const { fileKeystorePlace, openKeystore } = await import('../keystore/unlock.ts');
  const { unlockingSecret } = await import('./keystore-options.ts');
  const { anchorWalletKey } = await import('../anchor/index.ts');
  const { walletAddress } = await import('../anchor/transaction.ts');
  const passphrase = await unlockingSecret(config.keystore, () =>
    getPassphrase(typeof v['key-file'] === 'string' ? { keyFile: v['key-file'] } : {}),
  );
  const place = await fileKeystorePlace(homePaths(config.home).keystore);
  const keystore = await openKeystore(place, config.keystore, passphrase.bytes);
  passphrase.bytes.fill(0);
  try {
    const key = await anchorWalletKey(keystore);
    console.log(walletAddress(key, settings.network));
    key.fill(0);
  } finally {
    await keystore.close();
  }
}

const ID = { id: { type: 'string' } } as const;

export const anchorCommands: Record<string, Command> = {
  'anchor status': {
    summary: "the node's Bitcoin anchors: Birth Record and checkpoints, status, txid, block",
    usage: 'dta anchor status [--home <dir>]',
    options: {},
    async run(v) {
      const { store } = await anchorsOf(v);
      console.log(JSON.stringify((await store.list()).map(summary), null, 2));
    },
  },
  'anchor address': {
    summary: "wallet mode: the node's funding address (send it the coins that pay for anchors)",
    usage: 'dta anchor address [--home <dir>] [--key-file <path>]',
    options: { 'key-file': { type: 'string' } },
    run: (v) => runAddress(v),
  },
  'anchor psbt': {
    summary: 'PSBT mode: the unsigned PSBT (base64) of the anchor waiting for a transaction, for your wallet',
    usage: 'dta anchor psbt [--home <dir>] [--id birth|checkpoint-<size>]',
    options: ID,
    run: (v) => runPsbt(v),
  },
  'anchor submit': {
    summary: 'PSBT mode: hand the signed transaction (hex) or signed PSBT (base64) to the node to broadcast',
    usage: 'dta anchor submit <tx hex | psbt base64> [--home <dir>] [--id birth|checkpoint-<size>]',
    options: ID,
    run: (v, p) => runSubmit(v, p),
  },
};
