/**
 * A regtest Bitcoin chain that tests mine themselves, in memory: the real regtest genesis block, blocks whose
 * coinbase pays a given address, nonces ground until the header meets regtest's 0x207fffff target, a mempool
 * of checked transactions, and the UTXO set, so that a test can fund an address and spend from it.
 * No networking here: esplora.ts serves a chain over HTTP. Not a real network: see README.md.
 * @module
 */
import { Transaction as ScureTx } from '@scure/btc-signer';
import { AnchorError } from '../../../src/core/anchor/errors.ts';
import { displayHex } from '../../../src/core/anchor/hash.ts';
import {
  type BlockHeader,
  hashValue,
  parseHeader,
  serializeHeader,
  targetFromBits,
} from '../../../src/core/anchor/header.ts';
import { merkleRoot } from '../../../src/core/anchor/merkle.ts';
import { parseTransaction, type Transaction } from '../../../src/core/anchor/tx.ts';
import { buildCoinbase, subsidy } from './coinbase.ts';
import {
  addressScript,
  COINBASE_MATURITY,
  GENESIS,
  GENESIS_COINBASE,
  REGTEST,
  REGTEST_BITS,
  type RegtestKey,
  regtestKey,
} from './network.ts';
import { type Coin, checkSpend, SpendError } from './spend.ts';

/** A mined block. */
export interface Block {
  readonly height: number;
  readonly header: BlockHeader;
  readonly headerBytes: Uint8Array;
  /** Display-order block id. */
  readonly id: string;
  readonly txs: readonly Uint8Array[];
  readonly parsed: readonly Transaction[];
}

/** An unspent output with where it is. */
export interface Utxo extends Coin {
  readonly txid: string;
  readonly vout: number;
}

/** Where a transaction is: in a block (with its position), or in the mempool. */
export interface TxLocation {
  readonly raw: Uint8Array;
  readonly block: Block | undefined;
  readonly index: number;
}

const FEE = 1_000n;
const outpoint = (txid: string, vout: number): string => `${txid}:${vout}`;

export interface ChainOptions {
  /** Unix seconds for new blocks (default: the wall clock); a block's time is always after its parent's. */
  readonly clock?: () => number;
}

export class RegtestChain {
  readonly blocks: Block[] = [];
  /** Mempool in arrival order: txid → raw. */
  readonly mempool = new Map<string, { raw: Uint8Array; tx: Transaction }>();
  private readonly utxos = new Map<string, Utxo>();
  private readonly spentInMempool = new Set<string>();
  private readonly txIndex = new Map<string, { height: number; index: number }>();
  private readonly clock: () => number;
  /** The chain's own wallet: `fund` pays from its coinbase outputs. */
  readonly faucet: RegtestKey = regtestKey();

  constructor(options: ChainOptions = {}) {
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    const root = merkleRoot([parseTransaction(GENESIS_COINBASE).txid]);
    const headerBytes = serializeHeader({ ...GENESIS, prevHash: new Uint8Array(32), merkleRoot: root });
    // The genesis output is unspendable, as in Bitcoin: it never enters the UTXO set.
    this.blocks.push(this.blockOf(0, headerBytes, [GENESIS_COINBASE]));
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  get tip(): Block {
    return this.blocks[this.height]!;
  }

  /** Mines `count` blocks paying `address` (default: the faucet), the first one with the whole mempool. */
  mine(count = 1, address = this.faucet.address): Block[] {
    const mined: Block[] = [];
    for (let i = 0; i < count; i++) mined.push(this.mineOne(addressScript(address)));
    return mined;
  }

  /** Checks `raw` and adds it to the mempool; returns its txid. SpendError or AnchorError when refused. */
  submit(raw: Uint8Array): string {
    const tx = parseTransaction(raw);
    const txid = displayHex(tx.txid);
    if (this.mempool.has(txid) || this.txIndex.has(txid)) return txid;
    if (tx.inputs.some((i) => i.prevTxid.every((b) => b === 0))) throw new SpendError('a coinbase outside a block');
    const coins = tx.inputs.map((i) => {
      const key = outpoint(displayHex(i.prevTxid), i.vout);
      return this.spentInMempool.has(key) ? undefined : this.utxos.get(key);
    });
    checkSpend(raw, tx, coins, this.height + 1, COINBASE_MATURITY);
    for (const i of tx.inputs) this.spentInMempool.add(outpoint(displayHex(i.prevTxid), i.vout));
    this.addOutputs(txid, tx, undefined, false);
    this.mempool.set(txid, { raw, tx });
    return txid;
  }

  /**
   * Pays `value` satoshis to `address` from the faucet (mining the 101 blocks its coinbase needs to mature the
   * first time), confirms it in a new block unless `confirm` is false, and returns the new output.
   */
  fund(address: string, value: bigint, confirm = true): Utxo {
    const spendable = () => this.utxosOf(this.faucet.address).filter((u) => this.isMature(u) && u.value >= value + FEE);
    if (spendable().length === 0) this.mine(COINBASE_MATURITY + 1);
    const coin = spendable()[0];
    if (!coin) throw new SpendError(`the faucet cannot pay ${value} satoshis in one output`);
    const tx = new ScureTx();
    tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: coin.script, amount: coin.value } });
    tx.addOutputAddress(address, value, REGTEST);
    tx.addOutputAddress(this.faucet.address, coin.value - value - FEE, REGTEST);
    tx.sign(this.faucet.secretKey);
    tx.finalize();
    const txid = this.submit(tx.extract());
    if (confirm) this.mine();
    return this.utxos.get(outpoint(txid, 0))!;
  }

  /** Unspent outputs paying `address` (mempool ones included, those spent in the mempool excluded). */
  utxosOf(address: string): Utxo[] {
    const script = addressScript(address).join();
    return [...this.utxos.entries()]
      .filter(([key, u]) => u.script.join() === script && !this.spentInMempool.has(key))
      .map(([, u]) => u);
  }

  /** The block with display id `id`. */
  blockById(id: string): Block | undefined {
    return this.blocks.find((b) => b.id === id);
  }

  /** A transaction by display txid: its bytes and block, or the mempool. */
  findTx(txid: string): TxLocation | undefined {
    const at = this.txIndex.get(txid);
    if (at) return { raw: this.blocks[at.height]!.txs[at.index]!, block: this.blocks[at.height], index: at.index };
    const pending = this.mempool.get(txid);
    return pending ? { raw: pending.raw, block: undefined, index: -1 } : undefined;
  }

  private isMature(u: Utxo): boolean {
    return u.height !== undefined && (!u.coinbase || this.height + 1 - u.height >= COINBASE_MATURITY);
  }

  private mineOne(payTo: Uint8Array): Block {
    const height = this.height + 1;
    const pending = [...this.mempool.values()];
    const fees = pending.reduce((s, p) => s + feeOf(p.tx, (k) => this.utxos.get(k)), 0n);
    const anyWitness = pending.some((p) => p.tx.inputs.some((i) => i.witness.length > 0));
    const wtxids = anyWitness ? pending.map((p) => p.tx.wtxid) : undefined;
    const txs = [buildCoinbase(height, payTo, subsidy(height) + fees, wtxids), ...pending.map((p) => p.raw)];
    const root = merkleRoot(txs.map((raw) => parseTransaction(raw).txid));
    const time = Math.max(this.tip.header.time + 1, this.clock());
    const block = this.blockOf(height, grind(this.tip.header.hash, root, time), txs);
    this.connect(block);
    return block;
  }

  private blockOf(height: number, headerBytes: Uint8Array, txs: Uint8Array[]): Block {
    const header = parseHeader(headerBytes);
    return { height, header, headerBytes, id: displayHex(header.hash), txs, parsed: txs.map(parseTransaction) };
  }

  /** Appends `block`: spends its inputs, adds its outputs, empties the mempool of what it confirmed. */
  private connect(block: Block): void {
    this.blocks.push(block);
    block.parsed.forEach((tx, index) => {
      const txid = displayHex(tx.txid);
      this.txIndex.set(txid, { height: block.height, index });
      this.mempool.delete(txid);
      if (index > 0) {
        for (const i of tx.inputs) {
          const key = outpoint(displayHex(i.prevTxid), i.vout);
          this.utxos.delete(key);
          this.spentInMempool.delete(key);
        }
      }
      this.addOutputs(txid, tx, block.height, index === 0);
    });
  }

  private addOutputs(txid: string, tx: Transaction, height: number | undefined, coinbase: boolean): void {
    tx.outputs.forEach((o, vout) => {
      if (o.script[0] === 0x6a) return; // OP_RETURN outputs are provably unspendable
      this.utxos.set(outpoint(txid, vout), { txid, vout, value: o.value, script: o.script, height, coinbase });
    });
  }
}

function feeOf(tx: Transaction, coin: (key: string) => Coin | undefined): bigint {
  const ins = tx.inputs.reduce((s, i) => s + (coin(outpoint(displayHex(i.prevTxid), i.vout))?.value ?? 0n), 0n);
  return ins - tx.outputs.reduce((s, o) => s + o.value, 0n);
}

/** A header over `prevHash` and `root` whose hash meets the regtest target: about two tries. */
function grind(prevHash: Uint8Array, root: Uint8Array, time: number): Uint8Array {
  const target = targetFromBits(REGTEST_BITS);
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const bytes = serializeHeader({ version: 0x20000000, prevHash, merkleRoot: root, time, bits: REGTEST_BITS, nonce });
    if (hashValue(parseHeader(bytes).hash) <= target) return bytes;
  }
  throw new AnchorError('bad_pow', 'no nonce meets the regtest target'); // 2^-32 chance per nonce; never seen
}
