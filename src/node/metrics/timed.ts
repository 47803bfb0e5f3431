/**
 * Storage latency without touching the stores: `timed(store, ops, observe)`
 * is the same object seen through a Proxy whose listed async methods report
 * their duration (success or failure) to the storage-latency histogram.
 * Methods run on the real object, so classes with private fields still work.
 * @module
 */
import type { NodeMetrics } from './registry.ts';

type AsyncMethodOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T];

/** `target` with each method in `ops` timed into `metrics.storageLatency` as {backend, op}. */
export function timed<T extends object>(
  target: T,
  backend: string,
  ops: readonly AsyncMethodOf<T>[],
  metrics: NodeMetrics,
): T {
  const wrapped = new Map<PropertyKey, unknown>();
  for (const op of ops) {
    const method = target[op] as (...args: unknown[]) => Promise<unknown>;
    const histogram = metrics.storageLatency.labels({ backend, op: String(op) });
    wrapped.set(op, async (...args: unknown[]) => {
      const end = histogram.startTimer();
      try {
        return await method.apply(target, args);
      } finally {
        end();
      }
    });
  }
  return new Proxy(target, {
    get(obj, prop) {
      if (wrapped.has(prop)) return wrapped.get(prop);
      const value = Reflect.get(obj, prop, obj);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}
