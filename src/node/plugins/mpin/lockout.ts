/**
 * Online PIN guessing: a stolen token is worth a PIN search of at most
 * 10^4 logins, so the authentication server stops verifying an identity
 * after `maxFailures` refused logins in a row, for `lockSeconds`, and each
 * further refusal doubles the wait (capped at `maxLockSeconds`): about a
 * dozen guesses a day instead of 1,440. The count is per identity (every
 * enrolment of it) and durable — an append-only log in the plugin's
 * keystore (append-log.ts), entry = failures in a row (4 bytes) and the
 * time of the last one (4 bytes, unix seconds) — so a restart does not
 * reset it; an accepted login appends a zero. (The price, as with any
 * lockout, is that someone who knows an ID can lock it out for a while by
 * sending bad logins; with the nonce and session binding they must ask for
 * a nonce per try.)
 * @module
 */
import type { AppendLog, LogEntry } from './append-log.ts';

export interface LockoutOptions {
  readonly maxFailures: number;
  readonly lockSeconds: number;
  readonly maxLockSeconds: number;
}

interface State {
  readonly failures: number;
  readonly last: number; // unix seconds of the last failure
}

const keyOf = (identity: string): string => `lockout/${identity}`;

function decode(e: LogEntry): State {
  if (e.value === undefined || e.value.length !== 8) return { failures: 0, last: 0 };
  const d = new DataView(e.value.buffer, e.value.byteOffset, 8);
  return { failures: d.getUint32(0), last: d.getUint32(4) };
}

function encode(s: State): Uint8Array {
  const out = new Uint8Array(8);
  const d = new DataView(out.buffer);
  d.setUint32(0, s.failures);
  d.setUint32(4, s.last);
  return out;
}

export class Lockout {
  readonly #o: LockoutOptions;
  readonly #log: AppendLog;

  constructor(log: AppendLog, options: LockoutOptions) {
    this.#log = log;
    this.#o = options;
  }

  /** Seconds for which `failures` refusals in a row lock the identity after the last one (0: not locked). */
  delay(failures: number): number {
    if (failures < this.#o.maxFailures) return 0;
    const doublings = Math.min(failures - this.#o.maxFailures, 30);
    return Math.min(this.#o.lockSeconds * 2 ** doublings, this.#o.maxLockSeconds);
  }

  /** Unix seconds until which `identity` is locked (0 or past: not locked). */
  async lockedUntil(identity: string): Promise<number> {
    const s = decode(await this.#log.last(keyOf(identity)));
    const d = this.delay(s.failures);
    return d === 0 ? 0 : s.last + d;
  }

  /** Refused logins left before `failures` in a row lock the identity (0: locked now, or already). */
  attemptsLeft(failures: number): number {
    return Math.max(0, this.#o.maxFailures - failures);
  }

  /** Records a refused login; on disk when it resolves, with the number of refusals in a row it makes. */
  failed(identity: string, now: number): Promise<number> {
    return this.#log.update(keyOf(identity), async (last) => {
      const failures = decode(last).failures + 1;
      return { append: encode({ failures, last: now }), result: failures };
    });
  }

  /** Records an accepted login (nothing to write when no failure is counted). */
  succeeded(identity: string, now: number): Promise<void> {
    return this.#log.update(keyOf(identity), async (last) => {
      const s = decode(last);
      if (s.failures === 0) return { result: undefined };
      return { append: encode({ failures: 0, last: now }), result: undefined };
    });
  }
}
