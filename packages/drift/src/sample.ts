import { quantileOfSorted } from '@mlactions/core';
/**
 * A sorted, possibly weighted sample: the exact values of a column (no weights, each counts once) or
 * the retained items of a quantile sketch (each standing in for `weight` original values). The tests
 * on numeric columns (KS, Wasserstein) and the numeric bins read distributions only through this
 * shape, so exact data and sketches go through the same code.
 */
export interface WeightedSample {
  /** Ascending; may repeat. */
  readonly values: Float64Array;
  /** Weight of each value; absent when every value counts once. */
  readonly weights?: Float64Array;
  /** Sum of the weights (the number of values when unweighted). */
  readonly total: number;
}

/** A sample of equally weighted values (sorted here). */
export function sampleOf(values: ArrayLike<number>): WeightedSample {
  const sorted = Float64Array.from(values).sort();
  return { values: sorted, total: sorted.length };
}

/** Weight of value i of a sample. */
export function weightAt(sample: WeightedSample, i: number): number {
  return sample.weights ? sample.weights[i]! : 1;
}

/**
 * Walks the distinct values of two samples together in ascending order, calling `step` at each with
 * both right-continuous (weighted) empirical CDFs there: F_a(x) and F_b(x), the share of each sample's
 * weight at or below x; the weights at or below x; and the weights at x itself (its ties). The
 * two-sample statistics on CDFs and ranks (KS, Wasserstein, Cramér–von Mises, Anderson–Darling) are
 * folds over these steps.
 */
export function forEachCdfStep(
  a: WeightedSample,
  b: WeightedSample,
  step: (x: number, fa: number, fb: number, wa: number, wb: number, ta: number, tb: number) => void,
): void {
  const av = a.values;
  const bv = b.values;
  let i = 0;
  let j = 0;
  let wa = 0;
  let wb = 0;
  while (i < av.length || j < bv.length) {
    const x = j >= bv.length || (i < av.length && av[i]! <= bv[j]!) ? av[i]! : bv[j]!;
    const beforeA = wa;
    const beforeB = wb;
    while (i < av.length && av[i] === x) wa += weightAt(a, i++);
    while (j < bv.length && bv[j] === x) wb += weightAt(b, j++);
    step(x, wa / a.total, wb / b.total, wa, wb, wa - beforeA, wb - beforeB);
  }
}

/** Total weight of the values strictly below x (binary search). */
export function weightBelow(sample: WeightedSample, x: number): number {
  const { values } = sample;
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (!sample.weights) return lo;
  let sum = 0;
  for (let i = 0; i < lo; i++) sum += sample.weights[i]!;
  return sum;
}

/**
 * The q-quantile (0 <= q <= 1) of a sample. Unweighted samples use linear interpolation between
 * order statistics (numpy's default, `np.quantile(x, q)`); weighted samples return the smallest value
 * whose cumulative weight reaches q·total (the inverse of the step CDF).
 */
export function quantile(sample: WeightedSample, q: number): number {
  const { values } = sample;
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (!sample.weights) return quantileOfSorted(values, q);
  const target = q * sample.total;
  let cumulative = 0;
  for (let i = 0; i < n; i++) {
    cumulative += sample.weights[i]!;
    if (cumulative >= target) return values[i]!;
  }
  return values[n - 1]!;
}
