import { mean, sampleVariance } from 'simple-statistics';
import { studentTSf } from './distributions.ts';

/** A t statistic, its degrees of freedom and its two-sided p-value. */
export interface TTestResult {
  statistic: number;
  df: number;
  pValue: number;
}

/** Two-sided p-value of a t statistic; a statistic of ±Infinity (no spread, different means) gives 0. */
function twoSidedPValue(statistic: number, df: number): number {
  return Math.min(1, 2 * studentTSf(Math.abs(statistic), df));
}

/**
 * Welch's unequal-variance t-test of mean(a) = mean(b), two-sided (scipy's
 * `ttest_ind(a, b, equal_var=False)`); df is the Welch–Satterthwaite estimate and may be fractional.
 * Returns null when either side has fewer than two values. When neither side varies, the statistic
 * is 0 (p = 1) for equal means and ±Infinity (p = 0) otherwise, where scipy would give NaN.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): TTestResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const varianceOfMeanA = sampleVariance(a as number[]) / a.length;
  const varianceOfMeanB = sampleVariance(b as number[]) / b.length;
  const difference = mean(a as number[]) - mean(b as number[]);
  const varianceOfDifference = varianceOfMeanA + varianceOfMeanB;
  if (varianceOfDifference === 0) return degenerate(difference, a.length + b.length - 2);
  const df =
    (varianceOfDifference * varianceOfDifference) /
    ((varianceOfMeanA * varianceOfMeanA) / (a.length - 1) +
      (varianceOfMeanB * varianceOfMeanB) / (b.length - 1));
  const statistic = difference / Math.sqrt(varianceOfDifference);
  return { statistic, df, pValue: twoSidedPValue(statistic, df) };
}

/**
 * One-sample t-test of mean(values) = mu, two-sided (scipy's `ttest_1samp(values, mu)`): used when one
 * side of a comparison has several values and the other a single one. Returns null for fewer than two
 * values; no spread gives a statistic of 0 or ±Infinity as in welchTTest.
 */
export function oneSampleTTest(values: readonly number[], mu: number): TTestResult | null {
  if (values.length < 2) return null;
  const difference = mean(values as number[]) - mu;
  const varianceOfMean = sampleVariance(values as number[]) / values.length;
  const df = values.length - 1;
  if (varianceOfMean === 0) return degenerate(difference, df);
  const statistic = difference / Math.sqrt(varianceOfMean);
  return { statistic, df, pValue: twoSidedPValue(statistic, df) };
}

/** The limit of a t-test when no value varies: certain if the means differ, no evidence if they do not. */
function degenerate(difference: number, df: number): TTestResult {
  if (difference === 0) return { statistic: 0, df, pValue: 1 };
  return { statistic: Math.sign(difference) * Number.POSITIVE_INFINITY, df, pValue: 0 };
}
