// The raw-transaction reader against published transactions (../shared/vectors/bitcoin-tx/, README section 7):
// txids of legacy and segwit transactions, OP_RETURN data, agreement with @scure/btc-signer's decoder, and the
// malformed encodings it must refuse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawTx } from '@scure/btc-signer';
import { describe, expect, it } from 'vitest';
import { displayHex } from '../../src/core/anchor/hash.ts';
import { opReturnPushes, parseTransaction } from '../../src/core/anchor/tx.ts';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';

const load = (name: string) => JSON.parse(readFileSync(join(VECTORS, 'bitcoin-tx', name), 'utf8'));
const fixtures = haveVectors ? load('bitcoinjs-transaction.json') : { valid: [], invalid: { fromBuffer: [] } };
const core: unknown[] = haveVectors ? load('bitcoin-core-tx_valid.json') : [];

describe.skipIf(!haveVectors)('bitcoin-tx vectors', () => {
  it.each(fixtures.valid.map((v: any) => [v.description, v]) as [string, any][])(
    '%s: txid, fields as @scure/btc-signer reads them',
    (_, v: any) => {
      const raw = fromHex(v.hex);
      const tx = parseTransaction(raw);
      expect(displayHex(tx.txid)).toBe(v.id);
      expect(toHex(tx.txid)).toBe(v.hash);
      const scure = RawTx.decode(raw);
      expect(tx.outputs.map((o) => [o.value, toHex(o.script)])).toEqual(
        scure.outputs.map((o) => [o.amount, toHex(o.script)]),
      );
      expect(tx.inputs.map((i) => [i.vout, toHex(i.script), i.witness.map(toHex)])).toEqual(
        scure.inputs.map((i, n) => [i.index, toHex(i.finalScriptSig), (scure.witnesses?.[n] ?? []).map(toHex)]),
      );
      expect(tx.outputs.map((o) => Number(o.value))).toEqual(v.raw.outs.map((o: any) => o.value));
    },
  );

  it('reads the segwit witness commitment as the data of an OP_RETURN', () => {
    const v = fixtures.valid.find((x: any) => x.id.startsWith('c881f7b0'));
    const pushes = opReturnPushes(parseTransaction(fromHex(v.hex)));
    expect(pushes.map((p) => p?.map(toHex))).toEqual([[v.raw.outs[1].script.split(' ')[1]]]);
  });

  it('reads the bare OP_RETURN outputs of Bitcoin Core tx_valid.json as carrying no data', () => {
    const entries = core.filter((e): e is [unknown[], string, string] => Array.isArray(e) && e.length === 3);
    const withBare = entries.filter(([, hex]) => {
      const tx = parseTransaction(fromHex(hex));
      return tx.outputs.some((o) => o.script.length === 1 && o.script[0] === 0x6a);
    });
    expect(withBare.length).toBe(11);
    for (const [, hex] of withBare) expect(opReturnPushes(parseTransaction(fromHex(hex)))).toContainEqual([]);
    for (const [, hex] of entries) expect(parseTransaction(fromHex(hex)).txid).toHaveLength(32);
  });

  it.each(fixtures.invalid.fromBuffer.map((v: any) => [v.exception, v]) as [string, any][])(
    'refuses: %s',
    (_, v: any) => {
      expect(() => parseTransaction(fromHex(v.hex))).toThrow(expect.objectContaining({ code: 'malformed' }));
    },
  );
});

describe('the transaction reader', () => {
  const legacy = fromHex(
    '0100000001' +
      'ab'.repeat(32) +
      '00000000' +
      '00' +
      'ffffffff' +
      '01' +
      '0000000000000000' +
      '03' +
      '6a0101' +
      '00000000',
  );

  it('refuses truncated input, trailing bytes and non-canonical counts', () => {
    expect(parseTransaction(legacy).outputs).toHaveLength(1);
    const code = { code: 'malformed' };
    expect(() => parseTransaction(legacy.subarray(0, legacy.length - 1))).toThrow(expect.objectContaining(code));
    expect(() => parseTransaction(Uint8Array.of(...legacy, 0))).toThrow(expect.objectContaining(code));
    const padded = Uint8Array.of(...legacy.subarray(0, 4), 0xfd, 0x01, 0x00, ...legacy.subarray(5));
    expect(() => parseTransaction(padded)).toThrow(expect.objectContaining(code));
  });

  it('reads pushes after OP_RETURN, and not a script with another opcode', () => {
    const withScript = (script: number[]) => {
      const raw = Uint8Array.of(...legacy.subarray(0, 55), script.length, ...script, 0, 0, 0, 0);
      return opReturnPushes(parseTransaction(raw));
    };
    expect(withScript([0x6a, 0x02, 1, 2, 0x4c, 0x01, 3])).toEqual([[Uint8Array.of(1, 2), Uint8Array.of(3)]]);
    expect(withScript([0x6a, 0x51])).toEqual([undefined]); // OP_1 is not a push of data
    expect(withScript([0x6a, 0x05, 1])).toEqual([undefined]); // truncated push
  });
});
