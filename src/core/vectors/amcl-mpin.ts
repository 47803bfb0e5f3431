/**
 * Vector kind `amcl-mpin`: Milagro crypto-c's M-Pin vectors in its text
 * format (mpin/BLS381.txt: `KEY = value,` lines, blank lines between
 * records). Per record, as the upstream test_mpin_vectors:
 *  1. serverSecret(MS1) == SS1, serverSecret(MS2) == SS2, their sum == SS;
 *  2. clientSecret(MSi, hashId(MPINId)) == CSi, their sum == CS;
 *  3. extractPin(MPINId, PIN1, CS) == TOKEN;
 *  4. client1 with X, PIN2 and TOKEN gives U; client2 with X and Y gives V;
 *  5. server1 + server2 with Y, SS, U and V accept (AuthResult 0) or
 *     reject (AuthResult -19, Milagro's MPIN_BAD_PIN).
 * MPINId is the hex of the identity bytes. The record logic is shared with
 * `amcl-mpin-json` (same keys and values in a JSON array).
 * @module
 */

import type { MpinApi } from '../mpin/index.ts';
import type { LikeNamespace } from '../types.ts';
import { byteMismatch, firstReason, Report, vectorHex } from './report.ts';

/** What the kind needs of the core (the direct core or the worker proxy). */
export interface MpinCoreLike {
  readonly mpin: LikeNamespace<MpinApi>;
}

/** Milagro's MPIN_BAD_PIN, the only failure code of SERVER_2. */
const MPIN_BAD_PIN = -19;

/** One record with its fields as text (hex, or decimal for TEST, PINs and AuthResult). */
export type MpinRecord = ReadonlyMap<string, string>;

function hex(r: MpinRecord, key: string): Uint8Array {
  const value = r.get(key);
  if (value === undefined) throw new Error(`missing field "${key}"`);
  return vectorHex(value.trim());
}

function int(r: MpinRecord, key: string): number {
  const value = r.get(key);
  if (value === undefined || !/^-?\d+$/.test(value.trim())) throw new Error(`missing or bad integer "${key}"`);
  return Number(value.trim());
}

async function issuing(core: MpinCoreLike, r: MpinRecord, id: Uint8Array): Promise<string | undefined> {
  const { mpin } = core;
  const ss1 = await mpin.serverSecret(hex(r, 'MS1'));
  const ss2 = await mpin.serverSecret(hex(r, 'MS2'));
  const hid = await mpin.hashId(id);
  const cs1 = await mpin.clientSecret(hex(r, 'MS1'), hid);
  const cs2 = await mpin.clientSecret(hex(r, 'MS2'), hid);
  return firstReason(
    byteMismatch('SS1', ss1, hex(r, 'SS1')),
    byteMismatch('SS2', ss2, hex(r, 'SS2')),
    byteMismatch('SS', await mpin.recombineG2([ss1, ss2]), hex(r, 'SS')),
    byteMismatch('CS1', cs1, hex(r, 'CS1')),
    byteMismatch('CS2', cs2, hex(r, 'CS2')),
    byteMismatch('CS', await mpin.recombineG1([cs1, cs2]), hex(r, 'CS')),
    byteMismatch('TOKEN', await mpin.extractPin(id, int(r, 'PIN1'), hex(r, 'CS')), hex(r, 'TOKEN')),
  );
}

async function login(core: MpinCoreLike, r: MpinRecord, id: Uint8Array): Promise<string | undefined> {
  const { mpin } = core;
  const x = hex(r, 'X'),
    y = hex(r, 'Y');
  const pass1 = await mpin.client1({ id, pin: int(r, 'PIN2'), token: hex(r, 'TOKEN'), x });
  const v = await mpin.client2(x, y, pass1.sec);
  const { hid } = await mpin.server1(id);
  const ok = await mpin.server2({ hid, y, serverSecret: hex(r, 'SS'), u: hex(r, 'U'), v: hex(r, 'V') });
  const want = int(r, 'AuthResult');
  const got = ok ? 0 : MPIN_BAD_PIN;
  return firstReason(
    byteMismatch('U', pass1.u, hex(r, 'U')),
    byteMismatch('V', v, hex(r, 'V')),
    got === want ? undefined : `AuthResult: got ${got}, want ${want}`,
  );
}

/** Checks one record; undefined when everything matches. */
async function checkMpinRecord(core: MpinCoreLike, r: MpinRecord): Promise<string | undefined> {
  const id = hex(r, 'MPINId');
  return firstReason(await issuing(core, r, id), await login(core, r, id));
}

/** Runs a list of parsed records, named `<file> TEST <n>`. */
export async function runMpinRecords(
  core: MpinCoreLike,
  name: string,
  records: readonly MpinRecord[],
): Promise<Report> {
  const report = new Report();
  for (const [i, r] of records.entries()) {
    await report.record(`${name} TEST ${r.get('TEST') ?? `#${i + 1}`}`, () => checkMpinRecord(core, r));
  }
  return report;
}

/** The records of the text format: `KEY = value,` lines; a TEST line starts a record. */
function mpinTextRecords(text: string): Map<string, string>[] {
  const records: Map<string, string>[] = [];
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Za-z0-9]+)\s*=\s*(.*?),?\s*$/.exec(raw);
    if (m === null) continue;
    if (m[1] === 'TEST') records.push(new Map());
    records.at(-1)?.set(m[1]!, m[2]!);
  }
  return records;
}

export function runAmclMpin(core: MpinCoreLike, name: string, text: string): Promise<Report> {
  return runMpinRecords(core, name, mpinTextRecords(text));
}
