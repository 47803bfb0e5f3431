/**
 * The threshold a new custody group proposes: a majority of its nodes (2 of 3, 3 of 4 or 5), so that the
 * secret survives the loss of the minority and no minority can read it; and the sentence that explains t.
 * @module
 */

/** A majority of `n` nodes (1 for a single node). */
export function defaultThreshold(n: number): number {
  return n < 1 ? 1 : Math.floor(n / 2) + 1;
}

/** What t means for these n nodes, in one sentence. */
export function explainThreshold(t: number, n: number): string {
  const lose = n - t;
  const keep = lose === 1 ? 'one node' : `${lose} nodes`;
  const read = t - 1 === 1 ? 'one node alone learns nothing' : `${t - 1} nodes together learn nothing`;
  if (t === 1) return `Any one of the ${n} nodes can give the secret back, and any one of them could read it.`;
  if (lose === 0) return `All ${n} nodes must answer to give the secret back; ${read}.`;
  return `Any ${t} of the ${n} nodes give the secret back, so ${keep} may be lost; ${read}.`;
}
