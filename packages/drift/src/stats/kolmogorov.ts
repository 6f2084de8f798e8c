/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, which scipy's
 * `ks_2samp` uses (as `kstwo.sf(d, round(n1·n2/(n1+n2)))`) for its asymptotic p-value. The method
 * for each region of (n, x) follows Simard & L'Ecuyer, "Computing the Two-Sided Kolmogorov–Smirnov
 * Distribution" (J. Stat. Softw. 39, 2011), with the same cut-offs scipy uses, so p-values agree
 * with scipy's to about 1e-10 relative:
 *
 * - Ruben–Gambino closed forms near x = 1/(2n) and x = 1 - 1/n;
 * - 2·Smirnov (the exact one-sided Birnbaum–Tingey sum) where x >= 0.5 or the tail is small;
 * - Durbin's matrix method (Marsaglia, Tsang & Wang 2003) for small n·x²;
 * - Pomeranz's recursion (1974) for n <= 140;
 * - the Pelz–Good asymptotic series (1976) otherwise.
 */
import { logGamma } from '@mlactions/core';

/** Powers of two used to keep matrix entries and running products inside double range. */
const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
/** exp() of anything below this is zero in double precision. */
const MIN_LOG = -708;
/** Coefficients of Stirling's series for ln(n!/n^n), highest power first. */
const STIRLING = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** ln(n! / n^n) by Stirling's series; accurate for the n > 140 it is used for. */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (r / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + r * poly;
}

/**
 * Smirnov's one-sided statistic: P(D⁺_n >= d), by the Birnbaum–Tingey sum
 * Σ_{v=0}^{⌊n(1-d)⌋} C(n,v) d (d+v/n)^(v-1) (1-d-v/n)^(n-v), each term taken through logarithms so
 * that no binomial coefficient overflows.
 */
export function smirnov(n: number, d: number): number {
  if (!(n > 0 && d >= 0 && d <= 1)) return Number.NaN;
  if (d === 0) return 1;
  if (d === 1) return 0;
  const last = Math.floor(n * (1 - d));
  const logN1 = logGamma(n + 1);
  const logD = Math.log(d);
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const dv = d + v / n;
    const rest = 1 - dv;
    if (rest <= 0) continue;
    const log =
      logN1 -
      logGamma(v + 1) -
      logGamma(n - v + 1) +
      logD +
      (v - 1) * Math.log(dv) +
      (n - v) * Math.log(rest);
    if (log > MIN_LOG) sum += Math.exp(log);
  }
  return clip01(sum);
}

/** Square matrix product of two row-major m×m matrices. */
function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

/** P(D_n <= d) by Durbin's matrix method, in Marsaglia, Tsang & Wang's formulation. */
function cdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) H[row * m + col] = w[row - col + 1]!;
  }
  for (let row = 0; row < m; row++) H[row * m] = v[row]!;
  for (let col = 0; col < m; col++) H[(m - 1) * m + col] = v[m - 1 - col]!;

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2 === 1) {
      power = matMul(power, H, m);
      exponent += hExponent;
    }
    H = matMul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > P128) {
      for (let i = 0; i < H.length; i++) H[i]! /= P128;
      hExponent += E128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      exponent -= E128;
    }
  }
  return clip01(p * 2 ** exponent);
}

/** The index interval of row i in Pomeranz's recursion, clipped to [0, n]. */
function pomeranzInterval(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by Pomeranz's recursion (exact up to rounding; used for n <= 140). */
function cdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinusTwoGPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinusTwoGPow[0] = 1;
  for (let m = 1; m < size; m++) {
    gPow[m] = (gPow[m - 1]! * (g / n)) / m;
    twoGPow[m] = (twoGPow[m - 1]! * ((2 * g) / n)) / m;
    oneMinusTwoGPow[m] = (oneMinusTwoGPow[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzInterval(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzInterval(i, n, ll, ceilf, roundf);
    const powers = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    const width = j2 - k1 + 1;
    if (width > 0) {
      // Entries j1..j2 of the full convolution of v0[k1..k1+width) with powers[0..width).
      const from = k1 - v0Start;
      const available = Math.min(width, size - from);
      const powerCount = Math.min(width, size);
      const first = j1 - k1;
      const count = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < count; c++) {
        const index = first + c;
        let sum = 0;
        for (let a = Math.max(0, index - powerCount + 1); a <= Math.min(index, available - 1); a++) {
          sum += v0[from + a]! * powers[index - a]!;
        }
        v1[c] = sum;
        if (sum > max) max = sum;
      }
      if (max > 0 && max < M128) {
        for (let c = 0; c < count; c++) v1[c]! *= P128;
        exponent -= E128;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > P128) {
      answer *= M128;
      exponent += E128;
    }
    answer *= m;
  }
  return clip01(answer * 2 ** exponent);
}

/** P(D_n <= x) by the Pelz–Good asymptotic series (Li-Chien / Korolyuk terms through n^-3/2). */
function cdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT_2PI) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let extra2 = 0;
  let extra3 = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    extra2 += k2 * qp;
    extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2]! += extra2 * ((PI2 * SQRT_2PI) / (-36 * z3));
  K[3]! += extra3 * ((PI2 * SQRT_2PI) / (216 * z6));
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/**
 * Survival function of D_n, P(D_n > x) (scipy's `kstwo.sf(x, n)`), for an integer n >= 1.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - cdfDurbin(n, x));
    if (nx2 <= 4) return clip01(1 - cdfPomeranz(n, x));
    return clip01(2 * smirnov(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnov(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? cdfDurbin(n, x) : cdfPelzGood(n, x);
  return clip01(1 - cdf);
}
