/**
 * The first Wasserstein distance between two one-dimensional distributions, as scipy's
 * `wasserstein_distance(u, v, u_weights, v_weights)` defines it: the area between the two CDFs,
 * ∫ |F_u(x) - F_v(x)| dx, summed over the gaps between consecutive observed values.
 */
import { forEachCdfStep, type WeightedSample } from '../sample.ts';

export function wassersteinDistance(u: WeightedSample, v: WeightedSample): number {
  let sum = 0;
  let started = false;
  let previous = Number.NaN;
  let gap = 0;
  // Between consecutive values the CDFs stay as they were at the earlier one.
  forEachCdfStep(u, v, (x, fu, fv) => {
    if (started) sum += Math.abs(gap) * (x - previous);
    started = true;
    previous = x;
    gap = fu - fv;
  });
  return sum;
}
