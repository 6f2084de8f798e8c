/**
 * The k-sample Anderson–Darling test for two samples, as scipy's `anderson_ksamp([a, b])` (midrank,
 * the default) defines it: A²akN of Scholz and Stephens (1987, eq. 7) for data with ties, standardised
 * by its mean k − 1 and variance; the p-value is interpolated (a quadratic in log p) between the
 * critical values of their Table 2 and so lies between 0.001 and 0.25, as scipy caps it.
 * With fewer than four values, or a single distinct value, there is no evidence either way: p = 1.
 */
import { forEachCdfStep, type WeightedSample } from '../sample.ts';

export interface AndersonResult {
  /** The standardised statistic (scipy's `statistic`). */
  statistic: number;
  pValue: number;
}

/** Significance levels of the critical values and Scholz and Stephens' interpolation coefficients. */
const LEVELS = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** A²akN over the distinct pooled values z_j: ties count half below and half at z_j (mid-ranks). */
function midrankStatistic(a: WeightedSample, b: WeightedSample): { value: number; distinct: number } {
  const size = a.total + b.total;
  let sum = 0;
  let distinct = 0;
  forEachCdfStep(a, b, (_x, _fa, _fb, wa, wb, ta, tb) => {
    distinct++;
    const tied = ta + tb;
    const below = wa + wb - tied / 2;
    const denominator = below * (size - below) - (size * tied) / 4;
    if (denominator > 0) {
      const weight = tied / size / denominator;
      sum += (weight * (size * (wa - ta / 2) - below * a.total) ** 2) / a.total;
      sum += (weight * (size * (wb - tb / 2) - below * b.total) ** 2) / b.total;
    }
  });
  return { value: (sum * (size - 1)) / size, distinct };
}

/** Variance of A²akN under the null for k samples of sizes n (Scholz and Stephens, eq. 4). */
function nullVariance(n: readonly number[]): number {
  const k = n.length;
  const size = n.reduce((s, v) => s + v, 0);
  const H = n.reduce((s, v) => s + 1 / v, 0);
  // h = Σ_{i=1}^{N−1} 1/i; g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N−i)·j), as scipy sums them.
  let tail = 0;
  let g = 0;
  for (let t = 0; t <= size - 3; t++) {
    tail += 1 / (size - 1 - t);
    g += tail / (t + 2);
  }
  const h = tail + 1;
  const A = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const B = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const C = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const D = (2 * h + 6) * k * k - 4 * h * k;
  return (A * size ** 3 + B * size ** 2 + C * size + D) / ((size - 1) * (size - 2) * (size - 3));
}

/** Least-squares quadratic through (x_i, y_i): coefficients of x², x, 1 (numpy's polyfit, degree 2). */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  // Normal equations M·c = v for the basis (x², x, 1), solved by Gaussian elimination.
  const basis = (xi: number) => [xi * xi, xi, 1];
  const M = [0, 1, 2].map(() => [0, 0, 0]);
  const v = [0, 0, 0];
  x.forEach((xi, i) => {
    const row = basis(xi);
    for (let r = 0; r < 3; r++) {
      v[r]! += row[r]! * y[i]!;
      for (let c = 0; c < 3; c++) M[r]![c]! += row[r]! * row[c]!;
    }
  });
  for (let p = 0; p < 3; p++) {
    for (let r = p + 1; r < 3; r++) {
      const f = M[r]![p]! / M[p]![p]!;
      for (let c = p; c < 3; c++) M[r]![c]! -= f * M[p]![c]!;
      v[r]! -= f * v[p]!;
    }
  }
  const out = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = v[r]!;
    for (let c = r + 1; c < 3; c++) s -= M[r]![c]! * out[c]!;
    out[r] = s / M[r]![r]!;
  }
  return [out[0]!, out[1]!, out[2]!];
}

/** scipy's `anderson_ksamp([a, b])`: the standardised statistic and its interpolated p-value. */
export function andersonDarling(a: WeightedSample, b: WeightedSample): AndersonResult {
  const n = [a.total, b.total];
  const size = a.total + b.total;
  const { value, distinct } = midrankStatistic(a, b);
  if (size < 4 || distinct < 2) return { statistic: 0, pValue: 1 };
  const m = n.length - 1;
  const statistic = (value - m) / Math.sqrt(nullVariance(n));
  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  if (statistic < Math.min(...critical)) return { statistic, pValue: Math.max(...LEVELS) };
  if (statistic > Math.max(...critical)) return { statistic, pValue: Math.min(...LEVELS) };
  const [c2, c1, c0] = quadraticFit(
    critical,
    LEVELS.map((level) => Math.log(level)),
  );
  return { statistic, pValue: Math.exp(c2 * statistic * statistic + c1 * statistic + c0) };
}
