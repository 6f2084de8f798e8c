import { quantileSorted } from 'simple-statistics';

/**
 * The q-quantile (0 ≤ q ≤ 1) of values in ascending order, numpy's default (linear interpolation
 * between order statistics, Hyndman and Fan type 7); NaN for no values.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? Number.NaN : quantileSorted(sorted as number[], q);
}

/** The q-quantile of values in any order (see quantileOfSorted). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOfSorted(Float64Array.from(values).sort(), q);
}
