import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oneSampleTTest, welchTTest } from '../src/stats/ttest.ts';

interface WelchCase {
  a: number[];
  b: number[];
  statistic: number;
  df: number;
  pValue: number;
}
interface OneSampleCase {
  values: number[];
  mu: number;
  statistic: number;
  pValue: number;
}

/** scipy's ttest_ind(equal_var=False) and ttest_1samp, written by scripts/reference/ttest.py. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/ttest.json', import.meta.url), 'utf8')) as {
  welch: WelchCase[];
  oneSample: OneSampleCase[];
};

function expectClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe('welchTTest', () => {
  it.each(fixture.welch.map((c, i) => [i, c] as const))(
    'matches scipy ttest_ind(equal_var=False) #%i',
    (_, c) => {
      const result = welchTTest(c.a, c.b)!;
      expectClose(result.statistic, c.statistic, 1e-10);
      expectClose(result.df, c.df, 1e-10);
      expectClose(result.pValue, c.pValue, 1e-9);
    },
  );

  it('needs two values on each side', () => {
    expect(welchTTest([1], [1, 2, 3])).toBeNull();
    expect(welchTTest([1, 2], [])).toBeNull();
  });

  it('is certain when neither side varies and the means differ, and sees nothing when they are equal', () => {
    expect(welchTTest([2, 2, 2], [1, 1])).toEqual({ statistic: Number.POSITIVE_INFINITY, df: 3, pValue: 0 });
    expect(welchTTest([1, 1], [1, 1, 1])).toEqual({ statistic: 0, df: 3, pValue: 1 });
  });
});

describe('oneSampleTTest', () => {
  it.each(fixture.oneSample.map((c, i) => [i, c] as const))('matches scipy ttest_1samp #%i', (_, c) => {
    const result = oneSampleTTest(c.values, c.mu)!;
    expectClose(result.statistic, c.statistic, 1e-10);
    expect(result.df).toBe(c.values.length - 1);
    expectClose(result.pValue, c.pValue, 1e-9);
  });

  it('needs two values', () => {
    expect(oneSampleTTest([0.9], 0.8)).toBeNull();
  });

  it('handles values that do not vary', () => {
    expect(oneSampleTTest([0.5, 0.5], 0.4)).toEqual({
      statistic: Number.POSITIVE_INFINITY,
      df: 1,
      pValue: 0,
    });
    expect(oneSampleTTest([0.5, 0.5], 0.5)?.pValue).toBe(1);
  });
});
