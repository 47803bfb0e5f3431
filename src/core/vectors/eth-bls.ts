/**
 * Vector kind `eth-bls`: ethereum/bls12-381-tests v0.1.2 (min-pk, ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_, whose DST is the core's
 * default). One JSON file = one record; its folder names the operation.
 * https://github.com/ethereum/bls12-381-tests/tree/master/formats
 *
 * Expected `false` / `null` outputs are met by a clean rejection: either
 * the verify function returns false or the core throws one of its named
 * errors (our API throws for malformed input, see src/core/bls.ts). Any
 * other exception is a crash and fails the record.
 * @module
 */

import { utf8 } from '../bytes.ts';
import type { CoreLike } from '../types.ts';
import { g2FromJson } from './points.ts';
import { byteMismatch, orRejected, Report, vectorHex } from './report.ts';

/** The RFC 9380 G2 test DST used by the hash_to_G2 files (not in the files themselves). */
const HASH_TO_G2_DST = 'QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_';

const ETH_BLS_KINDS = [
  'sign',
  'verify',
  'aggregate',
  'fast_aggregate_verify',
  'aggregate_verify',
  'batch_verify',
  'deserialization_G1',
  'deserialization_G2',
  'hash_to_G2',
] as const;
export type EthBlsKind = (typeof ETH_BLS_KINDS)[number];

type Json = Record<string, unknown>;
type Case = { input: unknown; output: unknown };

const hexList = (v: unknown): Uint8Array[] => (v as string[]).map(vectorHex);

/** Compares a boolean outcome (undefined = rejected = false) with the expected output. */
function expectBool(got: boolean | undefined, want: unknown): string | undefined {
  const g = got ?? false;
  return g === want ? undefined : `got ${got === undefined ? 'a rejection' : String(got)}, want ${String(want)}`;
}

/** Compares bytes-or-rejection with a hex output or null. */
function expectOptionalBytes(got: Uint8Array | undefined, want: unknown): string | undefined {
  if (want === null) return got === undefined ? undefined : 'got a result, want a rejection (null)';
  if (got === undefined) return 'got a rejection, want a result';
  return byteMismatch('output', got, vectorHex(want as string));
}

async function batchVerify(core: CoreLike, input: Json): Promise<boolean | undefined> {
  const [pks, msgs, sigs] = [hexList(input['pubkeys']), hexList(input['messages']), hexList(input['signatures'])];
  if (pks.length === 0 || pks.length !== msgs.length || pks.length !== sigs.length) return false;
  for (const [i, pk] of pks.entries()) {
    const ok = await orRejected(() => core.bls.verify(pk, msgs[i]!, sigs[i]!));
    if (ok !== true) return ok;
  }
  return true;
}

/** A deserialization case passes as "true" only for a valid point in the compressed size. */
async function deserializes(core: CoreLike, group: 'g1' | 'g2', hex: string): Promise<boolean | undefined> {
  const sizes = await core.sizes;
  const bytes = vectorHex(hex);
  const ok = await orRejected(async () => {
    await core[group].validate(bytes);
    return true;
  });
  if (ok === undefined) return undefined;
  return bytes.length === (group === 'g1' ? sizes.g1Compressed : sizes.g2Compressed);
}

async function hashToG2(core: CoreLike, c: Case): Promise<string | undefined> {
  const fp = (await core.sizes).fp;
  const out = c.output as { x: string; y: string };
  const got = await core.g2.hashToCurve(utf8((c.input as Json)['msg'] as string), utf8(HASH_TO_G2_DST));
  return byteMismatch('P', got, g2FromJson(out.x, out.y, fp));
}

async function runCase(core: CoreLike, kind: EthBlsKind, c: Case): Promise<string | undefined> {
  const input = c.input as Json;
  switch (kind) {
    case 'sign':
      return expectOptionalBytes(
        await orRejected(() =>
          core.bls.sign(vectorHex(input['privkey'] as string), vectorHex(input['message'] as string)),
        ),
        c.output,
      );
    case 'verify':
      return expectBool(
        await orRejected(() =>
          core.bls.verify(
            vectorHex(input['pubkey'] as string),
            vectorHex(input['message'] as string),
            vectorHex(input['signature'] as string),
          ),
        ),
        c.output,
      );
    case 'aggregate':
      return expectOptionalBytes(await orRejected(() => core.bls.aggregate(hexList(c.input))), c.output);
    case 'fast_aggregate_verify':
      return expectBool(
        await orRejected(() =>
          core.bls.fastAggregateVerify(
            hexList(input['pubkeys']),
            vectorHex(input['message'] as string),
            vectorHex(input['signature'] as string),
          ),
        ),
        c.output,
      );
    case 'aggregate_verify':
      return expectBool(
        await orRejected(() =>
          core.bls.aggregateVerify(
            hexList(input['pubkeys']),
            hexList(input['messages']),
            vectorHex(input['signature'] as string),
          ),
        ),
        c.output,
      );
    case 'batch_verify':
      return expectBool(await batchVerify(core, input), c.output);
    case 'deserialization_G1':
      return expectBool(await deserializes(core, 'g1', input['pubkey'] as string), c.output);
    case 'deserialization_G2':
      return expectBool(await deserializes(core, 'g2', input['signature'] as string), c.output);
    case 'hash_to_G2':
      return hashToG2(core, c);
  }
}

/** The operation of a file: its folder name, or failing that the longest kind its file name starts with. */
export function ethBlsKindOf(folder: string, fileName: string): EthBlsKind | undefined {
  if ((ETH_BLS_KINDS as readonly string[]).includes(folder)) return folder as EthBlsKind;
  const byPrefix = ETH_BLS_KINDS.filter((k) => fileName.startsWith(k)).sort((a, b) => b.length - a.length);
  return byPrefix[0];
}

/** Runs one eth-bls JSON file (its text) as one record. */
export async function runEthBls(
  core: CoreLike,
  kind: EthBlsKind | undefined,
  name: string,
  text: string,
): Promise<Report> {
  const report = new Report();
  await report.record(name, async () => {
    if (kind === undefined) return 'cannot tell the operation from the folder or file name';
    const c = JSON.parse(text) as Case;
    if (typeof c !== 'object' || c === null || !('input' in c) || !('output' in c))
      return 'not an {input, output} case';
    return runCase(core, kind, c);
  });
  return report;
}
