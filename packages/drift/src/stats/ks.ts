/**
 * The two-sample Kolmogorov–Smirnov test as scipy's `ks_2samp(a, b)` (two-sided, method 'auto')
 * defines it: the statistic is the largest gap between the two empirical CDFs; the p-value is exact
 * (Hodges' lattice-path counting) when both samples have at most 10,000 values and comes from the
 * one-sample Kolmogorov distribution at n = round(n1·n2/(n1+n2)) otherwise, or when the exact count
 * overflows.
 */
import { forEachCdfStep, type WeightedSample } from '../sample.ts';
import { kolmogorovSf } from './kolmogorov.ts';

/** scipy's size limit for the exact p-value under method 'auto'. */
export const KS_MAX_EXACT_N = 10_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * sup_x |F_a(x) - F_b(x)| over the right-continuous (weighted) empirical CDFs, computed as scipy does:
 * the CDFs are compared at every observed value and the larger of max(F_a - F_b) and max(F_b - F_a)
 * is returned.
 */
export function ksStatistic(a: WeightedSample, b: WeightedSample): number {
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  forEachCdfStep(a, b, (_x, fa, fb) => {
    const diff = fa - fb;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  });
  return Math.max(max, Math.min(Math.max(-min, 0), 1));
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Rounds half to even, as numpy's round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * P(D_{n,n} >= h/n) for two samples of equal size n, by the alternating sum of lattice-path counts
 * evaluated Horner-style (each term divided by C(2n, n)) to avoid cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h/lcm(m,n)): one minus the share of lattice paths from (0,0) to (m,n) that stay
 * strictly inside |x/m - y/n| < h/lcm, computed column by column as that complement (Hodges 1958;
 * Viehmann, arXiv:2102.08037) so that no binomial coefficient is formed.
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, Math.min(curlen + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1]!;
}

/**
 * Two-sided p-value for a KS statistic d between samples of n1 and n2 values, with scipy's
 * method 'auto'. In the exact branch the statistic is snapped to the lattice h/lcm(n1, n2) as scipy
 * does, and that snapped value is returned.
 */
export function ksPValue(d: number, n1: number, n2: number): KsResult {
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: snapped, pValue: p, method: 'exact' };
    d = snapped;
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymptotic' };
}

/**
 * scipy's `ks_2samp(a, b)`: statistic and two-sided p-value. n1 and n2 default to the samples' total
 * weights; pass the true counts when the samples are sketches standing in for more values.
 */
export function ksTwoSample(
  a: WeightedSample,
  b: WeightedSample,
  n1: number = a.total,
  n2: number = b.total,
): KsResult {
  return ksPValue(ksStatistic(a, b), n1, n2);
}
