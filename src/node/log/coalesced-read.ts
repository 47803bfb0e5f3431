/**
 * A read shared by the callers that wait for it, each given a result read after it asked: callers that arrive while
 * a read is running wait for the next one, which starts when it ends and answers all of them. The PostgreSQL log
 * reads its latest checkpoint this way (postgres-log.ts): one query per round trip instead of one per order step,
 * and still never an answer older than what was committed before the call.
 * @module
 */
interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: unknown) => void;
}

export class CoalescedRead<T> {
  readonly #read: () => Promise<T>;
  #waiting: Waiter<T>[] = [];
  #running = false;

  constructor(read: () => Promise<T>) {
    this.#read = read;
  }

  /** A result of a read that started after this call. */
  get(): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    if (this.#running || this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#running = true;
    this.#read()
      .then(
        (value) => {
          for (const w of waiting) w.resolve(value);
        },
        (err: unknown) => {
          for (const w of waiting) w.reject(err);
        },
      )
      .finally(() => {
        this.#running = false;
        this.#next();
      });
  }
}
