/**
 * A client of an Esplora-compatible HTTP API (Blockstream's esplora,
 * mempool.space, or the regtest server the tests start): only the calls the
 * node's anchoring needs. Every call has a timeout and a bounded number of
 * retries on transport failures and 5xx answers; what comes back is checked
 * for shape here and for truth by the SPV verification (core/anchor), never
 * trusted. Errors carry a stable code and the path, never a response body
 * longer than a line, so nothing the server says floods a log.
 * https://github.com/Blockstream/esplora/blob/master/API.md
 * @module
 */

import { concat } from '../../core/bytes.ts';

export type EsploraErrorCode = 'esplora_unreachable' | 'esplora_refused' | 'esplora_malformed';

export class EsploraError extends Error {
  override name = 'EsploraError';
  readonly code: EsploraErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(code: EsploraErrorCode, message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** An output the address can spend (GET /address/:address/utxo). */
export interface EsploraUtxo {
  readonly txid: string;
  readonly vout: number;
  readonly value: number;
  readonly confirmed: boolean;
}

/** Where a transaction stands (GET /tx/:txid/status). */
export interface EsploraTxStatus {
  readonly confirmed: boolean;
  readonly blockHeight?: number;
  readonly blockHash?: string;
}

/** GET /tx/:txid/merkle-proof: the branch from the transaction to the block's Merkle root. */
export interface EsploraMerkleProof {
  readonly blockHeight: number;
  /** Sibling hashes, bottom up, hex in Esplora's (reversed, display) byte order. */
  readonly merkle: readonly string[];
  readonly pos: number;
}

export interface EsploraOptions {
  readonly timeoutMs?: number;
  /** Attempts per call on a transport error or a 5xx answer (at least 1). */
  readonly attempts?: number;
  readonly fetch?: typeof fetch;
  /** Aborts every call in flight and every retry (the node stopping). */
  readonly signal?: AbortSignal;
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_ERROR_TEXT = 200;
const MAX_BODY = 16 * 1024 * 1024;

export class EsploraClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #fetch: typeof fetch;
  readonly #signal: AbortSignal | undefined;

  constructor(baseUrl: string, options: EsploraOptions = {}) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#attempts = Math.max(1, options.attempts ?? 3);
    this.#fetch = options.fetch ?? fetch;
    this.#signal = options.signal;
  }

  async tipHeight(): Promise<number> {
    return heightOf(await this.#text('/blocks/tip/height'), '/blocks/tip/height');
  }

  /** The hash (display hex) of the block at `height` on the server's best chain. */
  async blockHashAt(height: number): Promise<string> {
    return hashOf(await this.#text(`/block-height/${height}`), '/block-height');
  }

  /** The 80-byte header of block `hash`, hex. */
  async header(hash: string): Promise<string> {
    const hex = (await this.#text(`/block/${hashOf(hash, 'block hash')}/header`)).trim().toLowerCase();
    if (!/^[0-9a-f]{160}$/.test(hex)) throw malformed('/block/:hash/header', 'not an 80-byte header');
    return hex;
  }

  async txHex(txid: string): Promise<string> {
    const hex = (await this.#text(`/tx/${hashOf(txid, 'txid')}/hex`)).trim().toLowerCase();
    if (!/^([0-9a-f]{2})+$/.test(hex)) throw malformed('/tx/:txid/hex', 'not hex');
    return hex;
  }

  /** The status of `txid`, or undefined when the server does not know it (404). */
  async txStatus(txid: string): Promise<EsploraTxStatus | undefined> {
    const path = `/tx/${hashOf(txid, 'txid')}/status`;
    const json = await this.#json(path, true);
    if (json === undefined) return undefined;
    const s = json as { confirmed?: unknown; block_height?: unknown; block_hash?: unknown };
    if (typeof s.confirmed !== 'boolean') throw malformed(path, 'no "confirmed"');
    if (!s.confirmed) return { confirmed: false };
    return {
      confirmed: true,
      blockHeight: heightOf(s.block_height, path),
      blockHash: hashOf(s.block_hash, path),
    };
  }

  async merkleProof(txid: string): Promise<EsploraMerkleProof> {
    const path = `/tx/${hashOf(txid, 'txid')}/merkle-proof`;
    const p = (await this.#json(path)) as { block_height?: unknown; merkle?: unknown; pos?: unknown };
    if (!Array.isArray(p.merkle) || p.merkle.length > 64) throw malformed(path, 'no "merkle" list');
    if (typeof p.pos !== 'number' || !Number.isSafeInteger(p.pos) || p.pos < 0) throw malformed(path, 'bad "pos"');
    return {
      blockHeight: heightOf(p.block_height, path),
      merkle: p.merkle.map((h) => hashOf(h, path)),
      pos: p.pos,
    };
  }

  async utxos(address: string): Promise<EsploraUtxo[]> {
    const path = `/address/${encodeURIComponent(address)}/utxo`;
    const list = await this.#json(path);
    if (!Array.isArray(list)) throw malformed(path, 'not a list');
    return list.map((u: { txid?: unknown; vout?: unknown; value?: unknown; status?: { confirmed?: unknown } }) => {
      if (typeof u.vout !== 'number' || !Number.isSafeInteger(u.vout) || u.vout < 0) throw malformed(path, 'bad vout');
      if (typeof u.value !== 'number' || !Number.isSafeInteger(u.value) || u.value < 0)
        throw malformed(path, 'bad value');
      return { txid: hashOf(u.txid, path), vout: u.vout, value: u.value, confirmed: u.status?.confirmed === true };
    });
  }

  /** POST /tx: broadcasts a raw transaction; returns the txid the server reports. */
  async broadcast(txHex: string): Promise<string> {
    return hashOf(await this.#text('/tx', { method: 'POST', body: txHex }), 'POST /tx');
  }

  async #text(path: string, init?: { method: 'POST'; body: string }): Promise<string> {
    const res = await this.#request(path, init);
    if (!res) throw new EsploraError('esplora_refused', `${path}: not found`, 404);
    return boundedText(res, path);
  }

  /** The JSON body; undefined on 404 only when `missingOk`. */
  async #json(path: string, missingOk = false): Promise<unknown> {
    const res = await this.#request(path);
    if (!res) {
      if (missingOk) return undefined;
      throw new EsploraError('esplora_refused', `${path}: not found`, 404);
    }
    try {
      return JSON.parse(await boundedText(res, path));
    } catch (err) {
      if (err instanceof EsploraError) throw err;
      throw malformed(path, 'not JSON');
    }
  }

  /** The response, undefined on 404; retries transport failures and 5xx, refuses other 4xx at once. */
  async #request(path: string, init?: { method: 'POST'; body: string }): Promise<Response | undefined> {
    let last: EsploraError | undefined;
    for (let attempt = 0; attempt < this.#attempts; attempt++) {
      if (attempt > 0) await sleep(200 * 2 ** attempt);
      if (this.#signal?.aborted) throw new EsploraError('esplora_unreachable', `${path}: stopped`);
      let res: Response;
      try {
        res = await this.#fetch(`${this.#base}${path}`, {
          ...(init ? { method: init.method, body: init.body, headers: { 'content-type': 'text/plain' } } : {}),
          signal: this.#signal
            ? AbortSignal.any([this.#signal, AbortSignal.timeout(this.#timeoutMs)])
            : AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (err) {
        last = new EsploraError('esplora_unreachable', `${path}: ${(err as Error).name}`);
        continue;
      }
      if (res.ok) return res;
      if (res.status === 404 && !init) {
        await res.body?.cancel();
        return undefined;
      }
      const said = (await res.text().catch(() => '')).slice(0, MAX_ERROR_TEXT).replace(/\s+/g, ' ');
      last = new EsploraError('esplora_refused', `${path}: HTTP ${res.status} ${said}`.trim(), res.status);
      if (res.status < 500) throw last;
    }
    throw last!;
  }
}

/** The body as text, refused past MAX_BODY bytes (a transaction's hex is at most 8 MB; no answer here is near). */
async function boundedText(res: Response, path: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw malformed(path, `answer larger than ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concat(...chunks));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function malformed(path: string, problem: string): EsploraError {
  return new EsploraError('esplora_malformed', `${path}: ${problem}`);
}

function heightOf(v: unknown, path: string): number {
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw malformed(path, 'not a block height');
  return n;
}

function hashOf(v: unknown, path: string): string {
  const h = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (!HEX64.test(h)) throw malformed(path, 'not a 32-byte hash');
  return h;
}
