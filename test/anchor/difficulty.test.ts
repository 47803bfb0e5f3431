// The difficulty bounds a header chain must keep on a network that retargets every 2016 blocks: the same bits
// inside a period, a new period's target at most four times the previous one and within the network's limit.
// The headers here are built field by field (proof of work is checked elsewhere and is not needed here).
import { describe, expect, it } from 'vitest';
import { checkDifficultyBounds } from '../../src/core/anchor/difficulty.ts';
import { parseHeader, serializeHeader, targetFromBits } from '../../src/core/anchor/header.ts';
import { networkRules } from '../../src/core/anchor/networks.ts';

const mainnet = networkRules('mainnet');
const START = 0x1b0404cb; // a real mainnet compact target (block.json targets)

/** The compact encoding of `target` (Bitcoin Core's GetCompact, for positive targets). */
function bitsFromTarget(target: bigint): number {
  let size = Math.ceil(target.toString(16).length / 2);
  let mantissa = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  if (mantissa & 0x00800000) {
    mantissa >>= 8;
    size++;
  }
  return ((size << 24) | mantissa) >>> 0;
}

const headerWith = (bits: number) =>
  parseHeader(
    serializeHeader({
      version: 1,
      prevHash: new Uint8Array(32),
      merkleRoot: new Uint8Array(32),
      time: 0,
      bits,
      nonce: 0,
    }),
  );

const codeOf = (f: () => void): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('difficulty bounds', () => {
  it('encodes targets as Core does (the helper of these tests)', () => {
    for (const bits of [START, 0x1d00ffff, 0x1814dd04, 0x207fffff])
      expect(bitsFromTarget(targetFromBits(bits))).toBe(bits);
  });

  it('keeps the bits inside a period', () => {
    const same = [headerWith(START), headerWith(START)];
    expect(codeOf(() => checkDifficultyBounds(same, 2017, START, mainnet))).toBe('ok');
    const harder = bitsFromTarget(targetFromBits(START) / 2n);
    expect(codeOf(() => checkDifficultyBounds([headerWith(harder)], 2017, START, mainnet))).toBe('bad_difficulty');
    const easier = bitsFromTarget(targetFromBits(START) * 2n);
    const late = [headerWith(START), headerWith(easier)];
    expect(codeOf(() => checkDifficultyBounds(late, 4030, START, mainnet))).toBe('bad_difficulty');
  });

  it('lets a new period be harder, or up to four times easier, never easier than the limit', () => {
    const four = bitsFromTarget(targetFromBits(START) * 4n);
    const more = bitsFromTarget(targetFromBits(START) * 5n);
    const harder = bitsFromTarget(targetFromBits(START) / 10n);
    expect(codeOf(() => checkDifficultyBounds([headerWith(four)], 4032, START, mainnet))).toBe('ok');
    expect(codeOf(() => checkDifficultyBounds([headerWith(harder)], 4032, START, mainnet))).toBe('ok');
    expect(codeOf(() => checkDifficultyBounds([headerWith(more)], 4032, START, mainnet))).toBe('bad_difficulty');
    // From the limit itself a period cannot get easier, whatever four times would allow.
    const beyond = bitsFromTarget(targetFromBits(0x1d00ffff) * 2n);
    expect(codeOf(() => checkDifficultyBounds([headerWith(beyond)], 2016, 0x1d00ffff, mainnet))).toBe('bad_difficulty');
  });

  it('bounds a forged chain after a trusted block: at most 4x easier per period', () => {
    // 3 periods after a trusted block at START: the easiest chain a forger may build ends at 4^3 x START's target.
    const chain: ReturnType<typeof headerWith>[] = [];
    let bits = START;
    for (let height = 2017; height <= 3 * 2016 + 5; height++) {
      if (height % 2016 === 0) bits = bitsFromTarget(targetFromBits(bits) * 4n);
      chain.push(headerWith(bits));
    }
    expect(codeOf(() => checkDifficultyBounds(chain, 2017, START, mainnet))).toBe('ok');
    expect(targetFromBits(chain.at(-1)!.bits)).toBeLessThanOrEqual(targetFromBits(START) * 64n);
    chain[chain.length - 1] = headerWith(0x1d00ffff);
    expect(codeOf(() => checkDifficultyBounds(chain, 2017, START, mainnet))).toBe('bad_difficulty');
  });

  it('checks nothing on testnet3 and regtest', () => {
    const any = [headerWith(0x1d00ffff), headerWith(START)];
    expect(codeOf(() => checkDifficultyBounds(any, 5, START, networkRules('testnet')))).toBe('ok');
    expect(codeOf(() => checkDifficultyBounds(any, 5, START, networkRules('regtest')))).toBe('ok');
  });
});
