/**
 * The node's anchoring loop. Every `pollMs` it makes sure the Birth Record
 * has an anchor record (once, on the first start with anchoring on), adds
 * one for the latest checkpoint every `checkpointEveryMs` when the log has
 * grown since the last one, and moves each unfinished record one step:
 *
 *   pending    wallet mode: sign a transaction from the node's coins;
 *              PSBT mode: take the operator's submission, or find a
 *              transaction carrying the payload at the funding address,
 *              or (re)write the PSBT for the operator;
 *   signed     broadcast the stored bytes (again, after a crash);
 *   broadcast  once mined under `confirmations` blocks, fetch the SPV proof,
 *              verify it (core/anchor) and only then store it: confirmed.
 *
 * It runs beside the HTTP server and never in a request: an Esplora that is
 * down or lying delays anchors, never an order. A failed step is written to
 * the record (`lastError`, a code and a sentence, no secret) and tried again
 * on the next round.
 * @module
 */
import type { FastifyBaseLogger } from 'fastify';
import type { BirthRecord } from '../../core/anchor/birth-record.ts';
import { anchorScript } from '../../core/anchor/payload.ts';
import { fromHex, toHex } from '../../core/bytes.ts';
import type { AnchorSettings } from '../config.ts';
import type { NodeLog } from '../log/types.ts';
import { type EsploraClient, EsploraError } from './esplora.ts';
import { provenAnchor } from './proof.ts';
import { type AnchorRecord, type AnchorStore, checkpointId } from './store.ts';
import { type AnchorSubject, birthSubject, checkpointSubject } from './subjects.ts';
import {
  AnchorTxError,
  anchorPsbt,
  carriesScript,
  signedAnchorTx,
  spentOutpoints,
  submittedTx,
  walletAddress,
} from './transaction.ts';

export interface AnchorerOptions {
  readonly settings: AnchorSettings;
  readonly store: AnchorStore;
  readonly esplora: EsploraClient;
  /** The log whose checkpoints are anchored. */
  readonly log: Pick<NodeLog, 'latest'>;
  /** The node's Birth Record: its first identity document's CID, its log's origin and key. */
  readonly birth: BirthRecord;
  /** Wallet mode: the secp256k1 key that pays (wiped by close()). */
  readonly walletKey?: Uint8Array;
  readonly logger: Pick<FastifyBaseLogger, 'warn' | 'info'>;
  readonly now?: () => number;
}

/** Transactions of the funding address read per round when looking for the operator's anchor. */
const MAX_WATCHED = 25;

export class Anchorer {
  readonly #o: AnchorerOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #closed = false;

  constructor(options: AnchorerOptions) {
    if (options.settings.mode === 'wallet' && !options.walletKey) throw new Error('anchor: wallet mode needs a key');
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** The wallet mode's funding address (undefined in PSBT mode). */
  get address(): string | undefined {
    const key = this.#o.walletKey;
    return key ? walletAddress(key, this.#o.settings.network) : undefined;
  }

  /** Starts the rounds; the first one at once, in the background. */
  start(): void {
    this.#schedule(0);
  }

  /** One round now (tests, and the scheduler); resolves when it is over. Rounds never overlap. */
  round(): Promise<void> {
    this.#round ??= this.#roundOnce().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#round?.catch(() => undefined);
    this.#o.walletKey?.fill(0);
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.round().finally(() => this.#schedule(this.#o.settings.pollMs));
    }, ms);
    this.#timer.unref();
  }

  async #roundOnce(): Promise<void> {
    try {
      await this.#ensureBirth();
      await this.#maybeCheckpoint();
    } catch (err) {
      this.#o.logger.warn({ anchor: 'schedule', err: describe(err) }, 'anchor: could not add an anchor');
    }
    for (const record of await this.#o.store.list()) {
      if (this.#closed) return;
      if (record.state !== 'confirmed') await this.#advance(record);
    }
  }

  async #ensureBirth(): Promise<void> {
    if (await this.#o.store.get('birth')) return;
    const subject = birthSubject(this.#o.birth);
    await this.#o.store.put(newRecord('birth', 'birth', subject, this.#now()));
  }

  /** A checkpoint anchor when the last one is `checkpointEveryMs` old and the log has grown since. */
  async #maybeCheckpoint(): Promise<void> {
    const records = await this.#o.store.list();
    const checkpoints = records.filter((r) => r.kind === 'checkpoint');
    const last = checkpoints.at(-1) ?? records.find((r) => r.kind === 'birth');
    if (!last || this.#now() - last.created < this.#o.settings.checkpointEveryMs) return;
    // One unpaid anchor at a time (the Birth Record's included): two PSBTs would offer the operator the same coins.
    if (records.some((r) => r.state === 'pending' || r.state === 'signed')) return;
    const signed = await this.#o.log.latest();
    const size = signed.checkpoint.size;
    const lastSize = checkpoints.length > 0 ? Number(checkpoints.at(-1)!.id.slice('checkpoint-'.length)) : 0;
    if (size === 0 || size <= lastSize) return;
    await this.#o.store.put(newRecord(checkpointId(size), 'checkpoint', checkpointSubject(signed), this.#now()));
  }

  async #advance(record: AnchorRecord): Promise<void> {
    try {
      let r = record;
      if (r.state === 'pending') r = await this.#pay(r);
      if (r.state === 'signed') r = await this.#broadcast(r);
      if (r.state === 'broadcast') await this.#prove(r);
    } catch (err) {
      const { code, message } = describe(err);
      const latest = (await this.#o.store.get(record.id)) ?? record;
      // Once per new problem, not every round: a node waiting for coins would fill its log otherwise.
      if (latest.lastError?.code !== code)
        this.#o.logger.warn({ anchor: record.id, code }, `anchor ${record.id}: ${message}`);
      await this.#o.store.put({ ...latest, lastError: { code, message, at: this.#now() } });
    }
  }

  /** pending → signed (or broadcast, when the operator's transaction is already out). */
  async #pay(r: AnchorRecord): Promise<AnchorRecord> {
    return this.#o.settings.mode === 'wallet' ? this.#signFromWallet(r) : this.#fromOperator(r);
  }

  async #signFromWallet(r: AnchorRecord): Promise<AnchorRecord> {
    const { network, feeRate } = this.#o.settings;
    const utxos = await this.#spendable(this.address!);
    const tx = signedAnchorTx(utxos, fromHex(r.payload), this.#o.walletKey!, network, feeRate);
    return this.#put({ ...r, state: 'signed', txid: tx.txid, txHex: tx.hex });
  }

  /** Coins of `address` that no other anchor's transaction already spends. */
  async #spendable(address: string) {
    const taken = new Set<string>();
    for (const other of await this.#o.store.list())
      if (other.txHex && other.state !== 'confirmed') for (const o of spentOutpoints(other.txHex)) taken.add(o);
    return (await this.#o.esplora.utxos(address)).filter((u) => !taken.has(`${u.txid}:${u.vout}`));
  }

  async #fromOperator(r: AnchorRecord): Promise<AnchorRecord> {
    const script = anchorScript(fromHex(r.payload));
    const handedIn = await this.#o.store.submitted(r.id);
    if (handedIn !== undefined) {
      try {
        const tx = submittedTx(handedIn, script);
        return this.#put({ ...r, state: 'signed', txid: tx.txid, txHex: tx.hex, lastError: undefined });
      } catch (err) {
        await this.#o.store.discardSubmission(r.id);
        throw err;
      }
    }
    const { fundingAddress, network, feeRate } = this.#o.settings;
    if (fundingAddress === undefined) return r; // the operator funds the payload with a wallet of their own
    const seen = await this.#paidByOperator(fundingAddress, script);
    if (seen) return this.#put({ ...r, state: 'broadcast', ...seen, lastError: undefined });
    const utxos = await this.#spendable(fundingAddress);
    const psbt = anchorPsbt(utxos, fromHex(r.payload), fundingAddress, network, feeRate);
    return psbt === r.psbt ? r : this.#put({ ...r, psbt, lastError: undefined });
  }

  /**
   * A transaction the operator broadcast themselves: one whose change came back to the funding address and
   * that carries `script` (the address's coins name their transactions; at most MAX_WATCHED are read).
   */
  async #paidByOperator(address: string, script: Uint8Array): Promise<{ txid: string; txHex: string } | undefined> {
    const txids = [...new Set((await this.#o.esplora.utxos(address)).map((u) => u.txid))].slice(0, MAX_WATCHED);
    for (const txid of txids) {
      const txHex = await this.#o.esplora.txHex(txid);
      if (carriesScript(txHex, script)) return { txid, txHex };
    }
    return undefined;
  }

  /** signed → broadcast: the stored bytes, never others. */
  async #broadcast(r: AnchorRecord): Promise<AnchorRecord> {
    if (!(await this.#o.esplora.txStatus(r.txid!))) {
      const txid = await this.#o.esplora.broadcast(r.txHex!);
      if (txid !== r.txid) throw new EsploraError('esplora_malformed', `POST /tx: answered txid ${txid}`);
      this.#o.logger.info({ anchor: r.id, txid }, `anchor ${r.id}: broadcast`);
    }
    return this.#put({ ...r, state: 'broadcast', lastError: undefined });
  }

  /** broadcast → confirmed, with a verified proof; back to signed if the transaction was dropped. */
  async #prove(r: AnchorRecord): Promise<void> {
    const status = await this.#o.esplora.txStatus(r.txid!);
    if (!status) {
      await this.#put({ ...r, state: 'signed' }); // evicted or never relayed: broadcast the same bytes again
      return;
    }
    if (!status.confirmed) return;
    const tip = await this.#o.esplora.tipHeight();
    if (tip - status.blockHeight! + 1 < this.#o.settings.confirmations) return;
    const { proof, anchored } = await provenAnchor(this.#o.esplora, r, this.#o.settings);
    await this.#put({ ...r, state: 'confirmed', proof, anchored, lastError: undefined });
    this.#o.logger.info({ anchor: r.id, height: anchored.height }, `anchor ${r.id}: in block ${anchored.height}`);
  }

  async #put(r: AnchorRecord): Promise<AnchorRecord> {
    const clean = r.lastError === undefined ? withoutError(r) : r;
    await this.#o.store.put(clean);
    return clean;
  }
}

function newRecord(id: string, kind: AnchorRecord['kind'], s: AnchorSubject, created: number): AnchorRecord {
  return {
    version: 1,
    id,
    kind,
    subject: s.subject,
    hash: toHex(s.hash),
    payload: toHex(s.payload),
    state: 'pending',
    created,
  };
}

function withoutError(r: AnchorRecord): AnchorRecord {
  const { lastError: _, ...rest } = r;
  return rest;
}

/** A code and a sentence for the record and the log: the error's own code when it has one. */
function describe(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === 'string' ? e.code : err instanceof AnchorTxError ? err.code : 'anchor_failed';
  return { code, message: typeof e?.message === 'string' ? e.message.slice(0, 300) : String(err) };
}
