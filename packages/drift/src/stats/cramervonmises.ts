/**
 * The two-sample Cramér–von Mises test as scipy's `cramervonmises_2samp(x, y)` (method 'auto')
 * defines it: T from the pooled mid-ranks (Anderson 1962, eqs. 9–10); the p-value is exact (the
 * frequency tables of Xiao, Gordon and Yakovlev 2006) when neither sample has more than 20 values, and
 * otherwise the limiting distribution of the one-sample statistic at T standardised by its mean and
 * variance (Anderson's eq. 15; Csörgő and Faraway 1996 for that distribution).
 */
import { forEachCdfStep, type WeightedSample } from '../sample.ts';
import { gcd } from './ks.ts';

/** scipy's size limit for the exact p-value under method 'auto'. */
export const CVM_MAX_EXACT_N = 20;

export interface CvmResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * Anderson's U = n·Σ(r_i − i)² + m·Σ(s_j − j)² over the mid-ranks r of the first sample and s of
 * the second in the pooled sample. A tie group of c values holding positions p+1…p+c of one sample
 * contributes c·(mid − p − (c+1)/2)² + c(c²−1)/12, which is exact and needs no loop over the group
 * (a sketch's item may stand in for many values).
 */
export function cvmU(a: WeightedSample, b: WeightedSample): number {
  const sumSq = (mid: number, before: number, count: number) =>
    count * (mid - before - (count + 1) / 2) ** 2 + (count * (count * count - 1)) / 12;
  let u = 0;
  forEachCdfStep(a, b, (_x, _fa, _fb, wa, wb, ca, cb) => {
    const beforeA = wa - ca;
    const beforeB = wb - cb;
    const mid = beforeA + beforeB + (ca + cb + 1) / 2;
    if (ca > 0) u += a.total * sumSq(mid, beforeA, ca);
    if (cb > 0) u += b.total * sumSq(mid, beforeB, cb);
  });
  return u;
}

/**
 * e^x·K_ν(x), the exponentially scaled modified Bessel function of the second kind, for x > 0 from
 * K_ν(x) = ∫₀^∞ e^(−x·cosh t)·cosh(νt) dt: the trapezoid rule on an even, double-exponentially
 * decaying integrand is accurate to rounding once the step is well under the integrand's width
 * (about 1/√x for large x).
 */
export function besselKScaled(nu: number, x: number): number {
  const h = Math.min(0.05, 0.25 / Math.sqrt(x));
  let sum = 0.5; // the integrand at t = 0, halved
  for (let k = 1; ; k++) {
    const t = k * h;
    const term = Math.exp(-x * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return h * sum;
}

/**
 * The CDF of the one-sample Cramér–von Mises statistic as n → ∞ (Csörgő and Faraway 1996, eq. 1.2),
 * summed as scipy's `_cdf_cvm_inf` does: term by term until a term is below 1e-7. Like scipy's, it
 * is meant for x up to about 4, where the CDF is already within rounding of 1.
 */
export function cvmLimitCdf(x: number): number {
  let total = 0;
  // Γ(k + 1/2) / Γ(k + 1), by its recurrence from Γ(1/2) = √π.
  let gammaRatio = Math.sqrt(Math.PI);
  for (let k = 0; ; k++) {
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term =
      (gammaRatio / (Math.PI ** 1.5 * Math.sqrt(x))) *
      Math.sqrt(y) *
      Math.exp(-2 * q) *
      besselKScaled(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) return total;
    gammaRatio *= (k + 0.5) / (k + 1);
  }
}

/** C(n, k), exact while it stays below 2^53 (C(40, 20) does). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * P(U ≥ u) over every way of splitting the pooled ranks into samples of m and n values, counted
 * with the frequency tables g_{u,v} of Xiao, Gordon and Yakovlev (their Algorithm 1), as scipy's
 * `_pval_cvm_2samp_exact` does.
 */
export function cvmExactPValue(u: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = Math.floor((lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1))) / (6 * mn * mn));
  let tables: Map<number, number>[] = [new Map([[0, 1]]), ...Array.from({ length: m }, () => new Map())];
  for (let j = 0; j <= n; j++) {
    const next: Map<number, number>[] = [];
    let running = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      // The table so far merged with g_{j,v}, every value moved by (a·v − b·j)², in one pass.
      const shift = (a * v - b * j) ** 2;
      const merged = new Map<number, number>();
      for (const [value, count] of running) merged.set(value + shift, count);
      for (const [value, count] of tables[v]!)
        merged.set(value + shift, (merged.get(value + shift) ?? 0) + count);
      running = merged;
      next.push(running);
    }
    tables = next;
  }
  let extreme = 0;
  for (const [value, count] of tables[m]!) if (value >= zeta) extreme += count;
  return extreme / binomial(m + n, m);
}

/**
 * scipy's `cramervonmises_2samp(a, b)`: T and its p-value. Sample sizes are the samples' total
 * weights; a sketch's items count with their weights.
 */
export function cramerVonMises(a: WeightedSample, b: WeightedSample): CvmResult {
  const n = a.total;
  const m = b.total;
  const u = cvmU(a, b);
  const k = n * m;
  const size = n + m;
  const statistic = u / (k * size) - (4 * k - 1) / (6 * size);
  const integral = Number.isInteger(n) && Number.isInteger(m);
  if (Math.max(n, m) <= CVM_MAX_EXACT_N && integral) {
    return { statistic, pValue: cvmExactPValue(u, n, m), method: 'exact' };
  }
  const mean = (1 + 1 / size) / 6;
  const variance = ((size + 1) * (4 * k * size - 3 * (n * n + m * m) - 2 * k)) / (45 * size * size * 4 * k);
  const standardised = 1 / 6 + (statistic - mean) / Math.sqrt(45 * variance);
  const pValue = standardised < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(standardised));
  return { statistic, pValue, method: 'asymptotic' };
}
