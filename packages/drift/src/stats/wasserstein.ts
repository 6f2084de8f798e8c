/**
 * The first Wasserstein distance between two one-dimensional distributions, as scipy's
 * `wasserstein_distance(u, v, u_weights, v_weights)` defines it: the area between the two CDFs,
 * ∫ |F_u(x) - F_v(x)| dx, summed over the gaps between consecutive observed values.
 */
import { type WeightedSample, weightAt } from '../sample.ts';

export function wassersteinDistance(u: WeightedSample, v: WeightedSample): number {
  const uv = u.values;
  const vv = v.values;
  let i = 0;
  let j = 0;
  let wu = 0;
  let wv = 0;
  let sum = 0;
  let previous = Number.NaN;
  while (i < uv.length || j < vv.length) {
    const x = j >= vv.length || (i < uv.length && uv[i]! <= vv[j]!) ? uv[i]! : vv[j]!;
    if (i + j > 0) sum += Math.abs(wu / u.total - wv / v.total) * (x - previous);
    while (i < uv.length && uv[i] === x) wu += weightAt(u, i++);
    while (j < vv.length && vv[j] === x) wv += weightAt(v, j++);
    previous = x;
  }
  return sum;
}
