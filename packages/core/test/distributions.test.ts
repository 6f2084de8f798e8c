import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from '../src/stats/distributions.ts';

/** Reference values from scipy (and mpmath for logBeta), written by scripts/reference/distributions.py. */
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/distributions.json', import.meta.url), 'utf8'),
) as Record<string, number[][]>;

/** Relative error, with values below the smallest normal double treated as equal to zero. */
function relativeError(actual: number, expected: number): number {
  if (Math.abs(expected) < 1e-300) return Math.abs(actual) < 1e-300 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.abs(expected);
}

const cases: [string, (...args: number[]) => number, number][] = [
  ['normalCdf', normalCdf, 1e-12],
  ['normalSf', normalSf, 1e-12],
  ['studentTCdf', studentTCdf, 1e-10],
  ['studentTSf', studentTSf, 1e-10],
  ['studentTPdf', studentTPdf, 1e-10],
  ['studentTQuantile', studentTQuantile, 1e-10],
  ['normalQuantile', normalQuantile, 1e-10],
  ['chiSquareSf', chiSquareSf, 1e-10],
  ['regularizedGammaP', regularizedGammaP, 1e-10],
  ['regularizedGammaQ', regularizedGammaQ, 1e-10],
  ['regularizedBeta', regularizedBeta, 1e-10],
];

describe.each(cases)('%s against scipy', (name, fn, tolerance) => {
  it(`is within ${tolerance} relative error`, () => {
    const rows = fixture[name]!;
    expect(rows.length).toBeGreaterThan(10);
    const misses = rows
      .map((row) => ({ args: row.slice(0, -1), expected: row.at(-1)!, actual: fn(...row.slice(0, -1)) }))
      .filter(({ actual, expected }) => !(relativeError(actual, expected) <= tolerance));
    expect(misses).toEqual([]);
  });
});

describe('logGamma', () => {
  it('matches scipy.special.gammaln to 1e-13 absolute', () => {
    for (const [x, expected] of fixture.logGamma!) {
      expect(Math.abs(logGamma(x!) - expected!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected!)));
    }
  });

  it('is infinite at the poles', () => {
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('logBeta', () => {
  it('matches mpmath to 1e-13 relative, large arguments included', () => {
    for (const [a, b, expected] of fixture.logBeta!) {
      expect(relativeError(logBeta(a!, b!), expected!)).toBeLessThan(1e-13);
    }
  });
});

describe('edge cases', () => {
  it('gives NaN outside the domain, as scipy does', () => {
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTCdf(1, -2)).toBeNaN();
    expect(chiSquareSf(1, 0)).toBeNaN();
    expect(regularizedGammaP(0, 1)).toBeNaN();
    expect(regularizedGammaQ(1, -1)).toBeNaN();
    expect(regularizedBeta(1.5, 1, 1)).toBeNaN();
    expect(regularizedBeta(0.5, 0, 1)).toBeNaN();
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(studentTQuantile(1.2, 3)).toBeNaN();
    expect(studentTQuantile(0.5, 0)).toBeNaN();
  });

  it('handles infinities', () => {
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 3)).toBe(1);
    expect(studentTSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(studentTCdf(1.5, Number.POSITIVE_INFINITY)).toBe(normalCdf(1.5));
    expect(regularizedGammaP(2, Number.POSITIVE_INFINITY)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 4)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTQuantile(1, 3)).toBe(Number.POSITIVE_INFINITY);
  });

  it('puts the t and chi-square distributions in closed form where one exists', () => {
    // t with 1 degree of freedom is Cauchy; chi-square with 2 is exponential with mean 2.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 14);
    expect(chiSquareSf(3, 2)).toBeCloseTo(Math.exp(-1.5), 14);
  });
});
