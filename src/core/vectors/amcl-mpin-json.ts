/**
 * Vector kind `amcl-mpin-json`: Milagro crypto-c's M-Pin vectors in its
 * JSON format (mpin/BLS381.json: an array of objects with the keys of the
 * text format; TEST, PIN1, PIN2 and AuthResult are numbers). The checks
 * are those of `amcl-mpin`.
 * @module
 */
import { type MpinCoreLike, type MpinRecord, runMpinRecords } from './amcl-mpin.ts';
import type { Report } from './report.ts';

function toRecord(item: unknown, i: number): MpinRecord {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new Error(`record #${i + 1} is not an object`);
  }
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'string' || typeof value === 'number') out.set(key, String(value));
  }
  return out;
}

export function runAmclMpinJson(core: MpinCoreLike, name: string, text: string): Promise<Report> {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error(`${name}: expected a JSON array of records`);
  return runMpinRecords(core, name, data.map(toRecord));
}
