import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeSamples } from '../src/stats/samples.ts';

interface SummaryCase {
  values: number[];
  confidence: number;
  mean: number;
  sd: number;
  standardError: number;
  low: number;
  high: number;
}

/** scipy's t.interval(confidence, n - 1, loc=mean, scale=sem), written by scripts/reference/ttest.py. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/ttest.json', import.meta.url), 'utf8')) as {
  summaries: SummaryCase[];
};

describe('summarizeSamples', () => {
  it.each(fixture.summaries.map((c, i) => [i, c] as const))('matches scipy t.interval #%i', (_, c) => {
    const summary = summarizeSamples(c.values, c.confidence);
    expect(summary.n).toBe(c.values.length);
    expect(summary.confidence).toBe(c.confidence);
    for (const key of ['mean', 'sd', 'standardError', 'low', 'high'] as const) {
      // scipy's t quantile (cephes stdtrit) is good to a few 1e-9; a bound near zero is judged on the spread's scale.
      expect(Math.abs(summary[key]! - c[key])).toBeLessThanOrEqual(1e-8 * Math.max(Math.abs(c[key]), c.sd));
    }
  });

  it('gives a single value no spread and no interval', () => {
    expect(summarizeSamples([0.7])).toEqual({
      n: 1,
      mean: 0.7,
      sd: null,
      standardError: null,
      confidence: 0.95,
      low: null,
      high: null,
    });
  });

  it('refuses an empty list', () => {
    expect(() => summarizeSamples([])).toThrow();
  });
});
