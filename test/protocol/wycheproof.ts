/**
 * Reading the published vector files of ../shared/vectors for the protocol
 * tests (Wycheproof schema v1 and the X-Wing JSON).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS } from '../core/vectors-dir.ts';

export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [field: string]: unknown;
}

export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [field: string]: unknown;
}

export function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(VECTORS, ...path), 'utf8')) as T;
}

export function wycheproof(file: string): readonly WycheproofGroup[] {
  return readJson<{ testGroups: WycheproofGroup[] }>('wycheproof', file).testGroups;
}

export const hex = (s: unknown): Uint8Array => Uint8Array.from(Buffer.from(String(s), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The name of the error `fn` throws, or undefined when it returns. */
export function errorName(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}
