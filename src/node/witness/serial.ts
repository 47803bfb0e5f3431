/**
 * Runs tasks one at a time per key, in arrival order. The witness checks a
 * request against a log's stored state and writes the new state as one
 * step; two requests for one log running interleaved could roll it back
 * (the race tlog-witness describes), so each log gets its own queue.
 * @module
 */
export class KeyedSerial {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    // Forget the key once its queue drains, so the map holds only logs with work in flight.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
