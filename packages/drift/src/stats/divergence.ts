/**
 * Divergences between two histograms over the same bins (categories or numeric bins), given as
 * counts (or any non-negative weights) in matching order.
 */

/** x·ln(x/y) with scipy's `rel_entr` conventions: 0 when x = 0, +Infinity when x > 0 and y = 0. */
function relativeEntropyTerm(x: number, y: number): number {
  if (x === 0 && y >= 0) return 0;
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return Number.POSITIVE_INFINITY;
}

function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

/**
 * scipy's `scipy.spatial.distance.jensenshannon(p, q, base)`: both histograms are normalised to sum
 * to one, and the result is sqrt((KL(p‖m) + KL(q‖m)) / 2 / ln(base)) with m = (p + q)/2. With base 2
 * it lies in [0, 1].
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base = 2): number {
  if (p.length !== q.length) throw new Error('jensenShannonDistance: histograms differ in length');
  const pn = normalise(p);
  const qn = normalise(q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const m = (pn[i]! + qn[i]!) / 2;
    left += relativeEntropyTerm(pn[i]!, m);
    right += relativeEntropyTerm(qn[i]!, m);
  }
  return Math.sqrt((left + right) / Math.log(base) / 2);
}

/** Share given to an empty bin in the PSI so that its logarithm stays finite. */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

/**
 * Population stability index, Σ (c_i - r_i)·ln(c_i / r_i) over the bins, where r_i and c_i are the
 * reference's and current data's shares of each bin (natural logarithm). A share of exactly zero is
 * replaced by `PSI_EMPTY_BIN_SHARE` (0.0001), without renormalising, as Evidently does.
 */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length)
    throw new Error('populationStabilityIndex: histograms differ in length');
  const r = normalise(reference);
  const c = normalise(current);
  let psi = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i]! === 0 ? PSI_EMPTY_BIN_SHARE : r[i]!;
    const ci = c[i]! === 0 ? PSI_EMPTY_BIN_SHARE : c[i]!;
    psi += (ci - ri) * Math.log(ci / ri);
  }
  return psi;
}
