import { mean, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantile } from './distributions.ts';

/** Mean, spread and t-based confidence interval of several values of one metric (seeds, folds, runs). */
export interface SampleSummary {
  /** How many values. */
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator); null for a single value. */
  sd: number | null;
  /** Standard error of the mean, sd / √n; null for a single value. */
  standardError: number | null;
  /** Confidence level of the interval, e.g. 0.95. */
  confidence: number;
  /** The interval mean ± t(1 - (1 - confidence)/2, n - 1) · standardError; null for a single value. */
  low: number | null;
  high: number | null;
}

/**
 * Summarizes finite values with a Student t confidence interval for their mean (scipy's
 * `t.interval(confidence, n - 1, loc=mean, scale=sem)`). One value has no spread: its sd and interval
 * are null.
 */
export function summarizeSamples(values: readonly number[], confidence = 0.95): SampleSummary {
  if (values.length === 0) throw new Error('summarizeSamples needs at least one value');
  const average = mean(values as number[]);
  if (values.length < 2) {
    return { n: 1, mean: average, sd: null, standardError: null, confidence, low: null, high: null };
  }
  const sd = sampleStandardDeviation(values as number[]);
  const standardError = sd / Math.sqrt(values.length);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, values.length - 1) * standardError;
  return {
    n: values.length,
    mean: average,
    sd,
    standardError,
    confidence,
    low: average - halfWidth,
    high: average + halfWidth,
  };
}
