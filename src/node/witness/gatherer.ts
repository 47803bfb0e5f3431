/**
 * The gatherer: takes each new checkpoint of this node's own log to the
 * witnesses configured for it (C2SP tlog-witness add-checkpoint, all in
 * parallel), checks every cosignature that comes back with that witness's
 * key, and hands them to the log, which then serves its checkpoint with
 * them. It runs on a timer beside the node, never inside a request, so an
 * order reply never waits for a witness.
 *
 * Per witness it remembers the size that witness last cosigned (0 after a
 * start); a 409 in `text/x.tlog.size` tells it the witness's size, and it
 * retries at once with a consistency proof from there. Other failures are
 * retried with backoff a bounded number of times, then at the next tick; a
 * refusal (4xx) is not retried for the same checkpoint.
 * @module
 */
import type { Checkpoint } from '../../core/tlog/checkpoint.ts';
import { type NoteSignature, type NoteVerifier, openNote } from '../../core/tlog/note.ts';
import { formatAddCheckpoint, parseSize } from './request.ts';

/** What the gatherer needs of the node's log (src/node/log/, NodeLog). */
export interface GatheredLog {
  latest(): Promise<{ readonly checkpoint: Checkpoint; readonly note: string }>;
  consistencyProof(size1: number, size2: number): Promise<Uint8Array[]>;
  addCosignatures(size: number, signatures: readonly NoteSignature[]): Promise<unknown> | unknown;
}

/** A witness of this node: its HTTP base URL and the key of its cosignatures (looked up when first needed). */
export interface WitnessPeer {
  readonly url: string;
  key(): Promise<NoteVerifier>;
}

export interface GathererOptions {
  readonly log: GatheredLog;
  readonly witnesses: readonly WitnessPeer[];
  /** How often the log's checkpoint is looked at. */
  readonly intervalMs: number;
  readonly logger: { warn(obj: object, msg: string): void };
}

/** Attempts per witness and checkpoint within one tick, and the first backoff (doubled after each). */
const ATTEMPTS = 4;
const BACKOFF_MS = 100;
const REQUEST_TIMEOUT_MS = 5000;
const MAX_REPLY_BYTES = 64 * 1024;

type Outcome = 'cosigned' | 'refused' | 'failed';

export class CosignatureGatherer {
  readonly #o: GathererOptions;
  /** Per witness URL: the size it holds (last cosigned, or told by a 409). */
  readonly #held = new Map<string, number>();
  /** Per witness URL: the checkpoint size it is done with (cosigned or refused). */
  readonly #done = new Map<string, number>();
  /** Witness URLs whose failure was logged, so a witness that stays down is logged once, not every tick. */
  readonly #failing = new Set<string>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: GathererOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#o.witnesses.length === 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.gather(), this.#o.intervalMs);
    this.#timer.unref();
    void this.gather();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  /** One round: the latest checkpoint to every witness not done with it (joins a round already running). */
  gather(): Promise<void> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const latest = await this.#o.log.latest().catch(() => undefined);
    if (!latest) return;
    const size = latest.checkpoint.size;
    const due = this.#o.witnesses.filter((w) => this.#done.get(w.url) !== size);
    await Promise.all(
      due.map(async (w) => {
        const outcome = await this.#sendTo(w, latest).catch(() => 'failed' as const);
        if (outcome !== 'failed') this.#done.set(w.url, size);
      }),
    );
  }

  async #sendTo(w: WitnessPeer, latest: { checkpoint: Checkpoint; note: string }): Promise<Outcome> {
    const size = latest.checkpoint.size;
    const verifier = await w.key().catch(() => undefined);
    if (!verifier) return this.#failed(w, 'the key of the witness could not be read');
    for (let attempt = 0, wait = BACKOFF_MS; attempt < ATTEMPTS; attempt++) {
      if (this.#abort.signal.aborted) return 'failed';
      const old = this.#held.get(w.url) ?? 0;
      if (old > size) return this.#refused(w, 'the witness holds a larger checkpoint than this log');
      const proof = old > 0 && old < size ? await this.#o.log.consistencyProof(old, size) : [];
      const res = await this.#post(w, formatAddCheckpoint({ oldSize: old, proof, note: latest.note }));
      if (res?.status === 200) return this.#accept(w, verifier, latest, res.body);
      const told =
        res?.status === 409 && res.type.startsWith('text/x.tlog.size') ? parseSize(res.body.trim()) : undefined;
      if (told !== undefined && told !== old) {
        this.#held.set(w.url, told);
        continue;
      }
      if (res && res.status >= 400 && res.status < 500) return this.#refused(w, `refused with ${res.status}`);
      await sleep(wait, this.#abort.signal);
      wait *= 2;
    }
    return this.#failed(w, 'the witness did not answer');
  }

  #failed(w: WitnessPeer, why: string): Outcome {
    if (!this.#failing.has(w.url)) this.#o.logger.warn({ witness: w.url }, `${why}; trying again every round`);
    this.#failing.add(w.url);
    return 'failed';
  }

  async #post(w: WitnessPeer, body: string): Promise<{ status: number; type: string; body: string } | undefined> {
    try {
      const res = await fetch(`${w.url.replace(/\/$/, '')}/v1/witness/add-checkpoint`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: text.slice(0, MAX_REPLY_BYTES) };
    } catch {
      return undefined;
    }
  }

  /** Keeps the cosignatures of the reply that verify under the witness's key; none is a refusal. */
  async #accept(
    w: WitnessPeer,
    verifier: NoteVerifier,
    latest: { checkpoint: Checkpoint; note: string },
    body: string,
  ): Promise<Outcome> {
    const text = latest.note.slice(0, latest.note.lastIndexOf('\n\n') + 1);
    let signatures: readonly NoteSignature[];
    try {
      signatures = openNote(`${text}\n${body}`, [verifier]).verified;
    } catch {
      signatures = [];
    }
    if (signatures.length === 0) return this.#refused(w, 'no cosignature in the reply verifies under its key');
    await this.#o.log.addCosignatures(latest.checkpoint.size, signatures);
    this.#held.set(w.url, latest.checkpoint.size);
    this.#failing.delete(w.url);
    return 'cosigned';
  }

  #refused(w: WitnessPeer, why: string): Outcome {
    this.#o.logger.warn({ witness: w.url }, `witness did not cosign: ${why}`);
    return 'refused';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
