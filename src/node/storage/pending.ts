/**
 * The write-ahead record of order steps (issue 13, F5). A request that passed its checks is recorded here, durably,
 * with its envelope bytes, BEFORE its plugin runs (and may write a secret to the keystore), and forgotten once its
 * reply is committed or its plugin refused it. So whatever kills the node in between, the request is still known
 * when it starts again: the node finishes it (orders-recovery.ts) and a retry, however late, finds the committed
 * reply instead of "stale", and no secret is left without the order that explains it.
 *
 * `PendingSteps` is the interface the order path uses; `FilePendingSteps` keeps it in one append-only file of the
 * home, `<home>/pending/steps.log`. Another backend (PostgreSQL, for replicas) implements the same interface: a row
 * per request, inserted before the plugin runs, deleted with the commit.
 *
 * The file holds one line per change, `+ <request> <order> <step> <envelope base64>` or `- <request>`. Additions are
 * appended and fsynced before `add` resolves (concurrent ones share one fsync); removals are appended without an
 * fsync of their own: a removal lost to a crash leaves a record whose step is committed or refused, which the start
 * finds and drops again. A torn last line (the crash hit mid-append) is ignored: its `add` never resolved. The file
 * is rewritten with the live records when it opens and when it has grown well past them.
 * @module
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';

/** One accepted request whose reply is not committed yet. */
export interface PendingStep {
  /** The request envelope's CID. */
  readonly request: string;
  /** The order it belongs to (for an order's first step, the request itself). */
  readonly order: string;
  /** The step: an order, a redeem, or the principal's check-in or cancel (docs/protocol.md#check-in-and-cancel). */
  readonly step: 'order' | 'redeem' | 'check-in' | 'cancel';
  /** The request envelope, as received. */
  readonly envelope: Uint8Array;
}

export interface PendingSteps {
  /** Records `step` durably (resolves once it survives a crash). */
  add(step: PendingStep): Promise<void>;
  /** Forgets the request (its reply is committed, or it was refused); need not be durable. */
  remove(request: string): Promise<void>;
  /** True when the request is recorded: it passed its checks, freshness included, when it first arrived. */
  has(request: string): Promise<boolean>;
  /** Every recorded request, oldest first. */
  list(): Promise<PendingStep[]>;
  close(): Promise<void>;
}

const FILE = 'steps.log';
const ID_RE = /^[a-z0-9]{8,128}$/i;
const STEPS: ReadonlySet<string> = new Set(['order', 'redeem', 'check-in', 'cancel']);

/** True for a step name a record may hold (an older node's file holds only orders and redeems). */
export const isPendingStep = (step: string | undefined): step is PendingStep['step'] => STEPS.has(step ?? '');

/** Parses one line into the map; anything malformed (a torn tail) is skipped. */
function applyLine(live: Map<string, PendingStep>, line: string): void {
  const [op, request, order, step, b64] = line.split(' ');
  if (!request || !ID_RE.test(request)) return;
  if (op === '-') {
    live.delete(request);
    return;
  }
  if (op !== '+' || !order || !ID_RE.test(order) || !isPendingStep(step) || !b64) return;
  try {
    live.set(request, { request, order, step, envelope: fromBase64(b64, 'pending step') });
  } catch {
    // a torn tail: its add never resolved
  }
}

function addLine(s: PendingStep): string {
  return `+ ${s.request} ${s.order} ${s.step} ${toBase64(s.envelope)}\n`;
}

export class FilePendingSteps implements PendingSteps {
  readonly #dir: string;
  readonly #live = new Map<string, PendingStep>();
  #fh: FileHandle | undefined;
  #queued: string[] = [];
  #sync = false;
  #next: Promise<void> | undefined;
  #writing: Promise<void> | undefined;
  #lines = 0;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<FilePendingSteps> {
    const steps = new FilePendingSteps(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    const lines = ((await readIfExists(join(dir, FILE)))?.toString('utf8') ?? '').split('\n');
    lines.pop(); // what follows the last newline: empty, or a line torn by a crash (its add never resolved)
    for (const line of lines) applyLine(steps.#live, line);
    await steps.#compact();
    return steps;
  }

  async #compact(): Promise<void> {
    await this.#fh?.close();
    await writeDurable(join(this.#dir, FILE), [...this.#live.values()].map(addLine).join(''));
    this.#fh = await open(join(this.#dir, FILE), 'a', 0o600);
    this.#lines = this.#live.size;
  }

  add(step: PendingStep): Promise<void> {
    if (!ID_RE.test(step.request) || !ID_RE.test(step.order)) throw new TypeError('pending: bad request or order id');
    this.#live.set(step.request, step);
    return this.#append(addLine(step), true).catch((err: unknown) => {
      this.#live.delete(step.request); // not on disk: not recorded
      throw err;
    });
  }

  async remove(request: string): Promise<void> {
    if (!this.#live.delete(request)) return;
    await this.#append(`- ${request}\n`, false);
  }

  async has(request: string): Promise<boolean> {
    return this.#live.has(request);
  }

  async list(): Promise<PendingStep[]> {
    return [...this.#live.values()];
  }

  /** Queues a line; one write (and one fsync when any queued line asks for it) carries all that queued meanwhile. */
  #append(line: string, sync: boolean): Promise<void> {
    this.#queued.push(line);
    this.#sync ||= sync;
    this.#next ??= (async () => {
      await this.#writing?.catch(() => undefined);
      const lines = this.#queued;
      const fsync = this.#sync;
      this.#queued = [];
      this.#sync = false;
      this.#next = undefined;
      this.#writing = this.#write(lines, fsync);
      await this.#writing;
    })();
    return this.#next;
  }

  async #write(lines: string[], fsync: boolean): Promise<void> {
    await this.#fh!.appendFile(lines.join(''));
    if (fsync) await this.#fh!.datasync();
    this.#lines += lines.length;
    if (this.#lines > 4 * this.#live.size + 1000) await this.#compact();
  }

  async close(): Promise<void> {
    await this.#next?.catch(() => undefined);
    await this.#writing?.catch(() => undefined);
    await this.#fh?.close();
    this.#fh = undefined;
  }
}
