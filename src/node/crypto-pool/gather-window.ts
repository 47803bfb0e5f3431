/**
 * How long a lone signature check may wait for others to share its batch (batch-verifier.ts). A batch of two
 * costs a worker about 0.7 ms less than two single checks, and more per signature as it grows (bench/results.json,
 * "batch verify"), but a wait is latency: so a check waits only while checks arrive often, judged from the recent
 * gaps between them (an average that forgets quickly). At low load, or after a quiet spell, the average gap is
 * long and a check leaves at once, its latency unchanged.
 * @module
 */

/** The longest wait for company: a few ms, small beside an order's own latency under load (tens of ms). */
export const MAX_HOLD_MS = 3;
/** Checks arriving on average closer than this are the load at which a wait of MAX_HOLD_MS often finds company. */
const BUSY_GAP_MS = 4 * MAX_HOLD_MS;
/** The weight of the newest gap in the average: about the last eight arrivals count. */
const NEWEST_WEIGHT = 1 / 8;
/** Gaps past this count as this: one quiet second must not take minutes of arrivals to forget. */
const LONGEST_GAP_MS = 1000;

export class GatherWindow {
  readonly #now: () => number;
  #last: number | undefined;
  #averageGap = LONGEST_GAP_MS;

  /** `now` in ms (tests pass their own clock). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Notes a check's arrival. */
  arrived(): void {
    const now = this.#now();
    const gap = this.#last === undefined ? LONGEST_GAP_MS : Math.min(now - this.#last, LONGEST_GAP_MS);
    this.#last = now;
    this.#averageGap += (gap - this.#averageGap) * NEWEST_WEIGHT;
  }

  /** How long (ms) a check that would leave alone may wait for company now: MAX_HOLD_MS under load, else 0. */
  holdMs(): number {
    return this.#averageGap < BUSY_GAP_MS ? MAX_HOLD_MS : 0;
  }
}
