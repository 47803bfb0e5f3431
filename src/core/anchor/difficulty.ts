/**
 * The bounds Bitcoin's difficulty rules put on a header chain that can be checked without the timestamps'
 * arithmetic: on networks that retarget every 2016 blocks (mainnet, signet), `bits` stays the same inside a
 * period, and a new period's target is at most four times the previous one (the retarget clamps the measured
 * timespan to 4x the expected one). The exact value a retarget must give is not computed. Without these bounds a
 * forger could give every header after the trusted block the network's easiest target; with them, the difficulty
 * of the trusted block (when the verifier knows its bits) can fall by at most 4x per period.
 * @module
 */
import { AnchorError } from './errors.ts';
import { type BlockHeader, targetFromBits } from './header.ts';

/** How often the network retargets, or undefined when its rules allow other changes (testnet3, regtest). */
export interface DifficultyRules {
  readonly interval: number | undefined;
  readonly powLimit: bigint;
}

/**
 * Checks that `headers`, the first at height `firstHeight`, follow a block whose bits were `startBits`, within
 * the bounds above; AnchorError 'bad_difficulty' naming the first header outside them.
 */
export function checkDifficultyBounds(
  headers: readonly BlockHeader[],
  firstHeight: number,
  startBits: number,
  rules: DifficultyRules,
): void {
  const { interval, powLimit } = rules;
  if (interval === undefined) return;
  let prevBits = startBits;
  headers.forEach((header, i) => {
    const height = firstHeight + i;
    if (height % interval !== 0) {
      if (header.bits !== prevBits) {
        throw new AnchorError('bad_difficulty', `block ${height}: bits change inside a ${interval}-block period`);
      }
    } else {
      const easiest = 4n * targetFromBits(prevBits);
      if (targetFromBits(header.bits) > (easiest < powLimit ? easiest : powLimit)) {
        throw new AnchorError('bad_difficulty', `block ${height}: target more than 4x the previous period's`);
      }
    }
    prevBits = header.bits;
  });
}
