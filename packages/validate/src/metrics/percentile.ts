/**
 * The p-th quantile (0 ≤ p ≤ 1) with linear interpolation between order statistics, numpy's default
 * ("linear", Hyndman and Fan type 7). NaN for no values.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}
