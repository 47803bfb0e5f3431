/**
 * What every vector kind produces: one pass or fail per record (a record
 * counts once however many checks it holds), the failure reasons, and the
 * final line `N passed, M failed`. Also the small helpers the kinds share:
 * hex, ASCII, byte comparison and "did the core reject this?".
 * @module
 */
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

/** Hex (with or without 0x, any case) to bytes; throws on odd length or a bad digit. */
export function fromHex(hex: string): Uint8Array {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new Error(`bad hex string of length ${h.length}`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** undefined when equal, else a reason naming `what`. */
export function expectBytes(what: string, got: Uint8Array, want: Uint8Array): string | undefined {
  return equal(got, want) ? undefined : `${what}: got ${toHex(got)}, want ${toHex(want)}`;
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

/** Joins byte strings. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
