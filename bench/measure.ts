/**
 * Timing: the median over several samples of the mean time per call, in microseconds.
 * Each sample runs the operation enough times to last about `sampleMs`, so fast operations are not
 * dominated by the clock's resolution and slow ones still finish quickly. The samples of the libraries
 * being compared are interleaved (one sample of each in turn), so a burst of load from elsewhere on the
 * machine hits all of them alike instead of skewing one library's numbers.
 * @module
 */

export interface MeasureOptions {
  /** Number of samples whose median is reported. */
  readonly samples: number;
  /** Target duration of one sample, in milliseconds. */
  readonly sampleMs: number;
}

function timeBatch(fn: () => unknown, iterations: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return performance.now() - t0;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median microseconds per call of each function, keyed like `fns`; one warm-up call each sizes its batches. */
export function measureSideBySide<K extends string>(
  fns: Readonly<Record<K, () => unknown>>,
  options: MeasureOptions,
): Record<K, number> {
  const keys = Object.keys(fns) as K[];
  const iterations = {} as Record<K, number>;
  const perCallMs = {} as Record<K, number[]>;
  for (const k of keys) {
    const once = Math.max(timeBatch(fns[k], 1), 0.001);
    iterations[k] = Math.max(1, Math.round(options.sampleMs / once));
    perCallMs[k] = [];
  }
  for (let s = 0; s < options.samples; s++) {
    for (const k of keys) perCallMs[k].push(timeBatch(fns[k], iterations[k]) / iterations[k]);
  }
  const us = {} as Record<K, number>;
  for (const k of keys) us[k] = Math.round(median(perCallMs[k]) * 10_000) / 10; // µs, 0.1 resolution
  return us;
}
