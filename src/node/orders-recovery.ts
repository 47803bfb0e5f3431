/**
 * Finishing the order steps a node accepted but did not commit before it stopped (issue 13, F5): every request in
 * the write-ahead record (storage/pending.ts) is processed again as its own retry would be (the plugins return
 * what they committed when their secret exists), so its reply is committed and a client retrying it later, at any
 * time, gets the 409 replay naming that reply instead of "stale", and no secret stays without its order.
 *
 * When: a request already past its freshness window at start is finished before the node serves; one still
 * within it is left for its client's retry, which is processed the usual way, and finished by the node itself
 * when its window ends if no retry came. A step already committed (the node died between its commit and
 * forgetting the record) is only forgotten; a step refused now (4xx) is forgotten with what its plugin kept and
 * its quota count; one that fails otherwise stays recorded, and counted, for the next start. Finishing a recorded
 * step reserves no second count (order-admission.ts).
 * @module
 */
import type { FastifyBaseLogger } from 'fastify';
import { decodeEnvelope } from '../core/protocol/index.ts';
import { ApiError } from './http/errors.ts';
import { isRefusal, type OrderAdmission } from './order-admission.ts';
import type { OrderService } from './orders.ts';
import type { OrderRecords } from './storage/backend.ts';
import type { PendingStep, PendingSteps } from './storage/pending.ts';

export interface RecoveryDeps {
  readonly pending: PendingSteps;
  readonly admission: OrderAdmission;
  readonly orders: OrderService;
  readonly store: OrderRecords;
  readonly freshnessMs: number;
  readonly now: () => number;
  readonly log: FastifyBaseLogger;
}

/** What the start did with the recorded steps. */
export interface RecoveryReport {
  readonly finished: number;
  readonly forgotten: number;
  readonly scheduled: number;
  readonly failed: number;
}

/** A little past the window's end, so the node's own attempt never races a retry stamped at its edge. */
const MARGIN_MS = 1000;

/** The request's `created` time; NaN when its envelope does not decode (processing it refuses it: forgotten). */
function createdOf(step: PendingStep): number {
  try {
    return decodeEnvelope(step.envelope).value.header.created;
  } catch {
    return Number.NaN;
  }
}

export class StepRecovery {
  readonly #d: RecoveryDeps;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: RecoveryDeps) {
    this.#d = deps;
  }

  /** Handles every recorded step (see the module comment); resolves once the stale ones are finished. */
  async start(): Promise<RecoveryReport> {
    const report = { finished: 0, forgotten: 0, scheduled: 0, failed: 0 };
    for (const step of await this.#d.pending.list()) {
      if (await this.#committed(step)) {
        await this.#d.pending.remove(step.request);
        report.forgotten++;
        continue;
      }
      const wait = createdOf(step) + this.#d.freshnessMs + MARGIN_MS - this.#d.now(); // NaN: processed now
      if (wait > 0) {
        this.#schedule(step, wait);
        report.scheduled++;
      } else report[await this.finish(step)]++;
    }
    return report;
  }

  async #committed(step: PendingStep): Promise<boolean> {
    const stored = await this.#d.store.get(step.order);
    return stored?.replies[step.request] !== undefined;
  }

  #schedule(step: PendingStep, wait: number): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        void this.finish(step);
      },
      Math.min(wait, 2 ** 31 - 1),
    );
    timer.unref();
    this.#timers.add(timer);
  }

  /** Processes one recorded step as its retry; never throws. */
  async finish(step: PendingStep): Promise<'finished' | 'forgotten' | 'failed'> {
    try {
      if (step.step === 'order') await this.#d.orders.create(step.envelope);
      else if (step.step === 'redeem') await this.#d.orders.redeem(step.order, step.envelope);
      else await this.#d.orders.principalStep(step.step, step.order, step.envelope);
      this.#d.log.info({ request: step.request, order: step.order, step: step.step }, 'recorded step committed');
      return 'finished';
    } catch (err) {
      if (err instanceof ApiError && err.code === 'replay') {
        await this.#d.pending.remove(step.request).catch(() => undefined);
        return 'forgotten';
      }
      if (isRefusal(err)) {
        await this.#d.admission.forget(step).catch(() => undefined);
        const code = String((err as { code?: unknown }).code);
        this.#d.log.warn({ request: step.request, order: step.order, code }, 'recorded step refused, forgotten');
        return 'forgotten';
      }
      this.#d.log.warn({ request: step.request, order: step.order }, 'recorded step failed; kept for the next start');
      return 'failed';
    }
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
