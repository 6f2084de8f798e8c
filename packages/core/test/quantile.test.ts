import { describe, expect, it } from 'vitest';
import { quantile, quantileOfSorted } from '../src/stats/quantile.ts';

describe('quantile', () => {
  it('interpolates linearly between order statistics, as numpy.quantile does by default', () => {
    // np.quantile([4, 1, 10, 3, 2], [0, 0.25, 0.5, 0.95, 1]) -> [1, 2, 3, 8.8, 10]
    expect([0, 0.25, 0.5, 1].map((q) => quantile([4, 1, 10, 3, 2], q))).toEqual([1, 2, 3, 10]);
    expect(quantile([4, 1, 10, 3, 2], 0.95)).toBeCloseTo(8.8, 12);
    expect(quantileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2.5);
  });

  it('is NaN for no values', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});
