/**
 * What every vector kind produces: one pass or fail per record (a record
 * counts once however many checks it holds), the failure reasons, and the
 * final line `N passed, M failed`. Also the small helpers the kinds share:
 * vectors' hex, byte comparison and "did the core reject this?".
 * @module
 */
import { equalBytes, fromHex, toHex } from '../bytes.ts';
import { isDtaError } from '../errors.ts';

export interface Failure {
  readonly record: string;
  readonly reason: string;
}

export class Report {
  passed = 0;
  readonly failures: Failure[] = [];

  get failed(): number {
    return this.failures.length;
  }

  pass(): void {
    this.passed++;
  }

  fail(record: string, reason: string): void {
    this.failures.push({ record, reason });
  }

  /**
   * Runs one record: it passes when `check` returns without a reason;
   * a returned string or any exception fails it with that reason.
   */
  async record(name: string, check: () => Promise<string | undefined>): Promise<void> {
    try {
      const reason = await check();
      if (reason === undefined) this.pass();
      else this.fail(name, reason);
    } catch (e) {
      this.fail(name, `threw ${describe(e)}`);
    }
  }

  merge(other: Report): void {
    this.passed += other.passed;
    this.failures.push(...other.failures);
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }

  /** One line per failure, then the summary line. */
  lines(): string[] {
    return [...this.failures.map((f) => `FAIL ${f.record}: ${f.reason}`), this.summary()];
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/**
 * A vector's hex (with or without 0x, any case) to bytes. A bad digit is a plain Error, not a core error, so that
 * orRejected reports a broken vector file as a crash rather than as the core rejecting an input.
 */
export function vectorHex(hex: string): Uint8Array {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  try {
    return fromHex(digits, 'vector hex');
  } catch {
    throw new Error(`bad hex string of length ${digits.length}`);
  }
}

/** undefined when equal, else a reason naming `what`. */
export function byteMismatch(what: string, got: Uint8Array, want: Uint8Array): string | undefined {
  return equalBytes(got, want) ? undefined : `${what}: got ${toHex(got)}, want ${toHex(want)}`;
}

/** The first defined reason of a list of checks. */
export function firstReason(...reasons: (string | undefined)[]): string | undefined {
  return reasons.find((r) => r !== undefined);
}

/**
 * Runs `fn`; a named core error (a rejection) becomes `undefined`. Any
 * other exception (a wasm trap, a TypeError) is a crash and propagates.
 */
export async function orRejected<T>(fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isDtaError(e)) return undefined;
    throw e;
  }
}
