/**
 * Distribution functions for the statistics the verbs report (Welch's t-test, confidence intervals,
 * chi-square tests). Written out in Numerical Recipes style (series and Lentz continued fractions)
 * because no well-kept JavaScript library gives regularized incomplete gamma/beta functions to
 * ~1e-10 relative accuracy for fractional degrees of freedom; every function is tested against scipy.
 *
 * Arguments outside a function's domain (negative degrees of freedom, x outside [0, 1] for the beta
 * function, NaN) give NaN rather than throwing, as scipy does.
 */

/** Relative precision at which the series and continued fractions stop. */
const EPSILON = 1e-16;
/** Stands in for zero in Lentz's method so that no step divides by zero. */
const TINY = 1e-300;
/** Iterations grow like sqrt(a) for large shape parameters; this bound covers a up to ~1e9. */
const MAX_ITERATIONS = 100_000;

/** Lanczos approximation coefficients for g = 7, n = 9 (about 15 significant digits). */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Natural logarithm of the absolute value of the gamma function, ln|Γ(x)|, by the Lanczos
 * approximation (with the reflection formula below 0.5). Absolute error about 1e-15 for moderate x.
 * Poles (0, -1, -2, …) give Infinity.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x < 0.5) {
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The remainder of Stirling's series, ln Γ(x) - ((x - 1/2) ln x - x + ln √(2π)), for x >= 10, where
 * seven terms reach double precision. Lets logBeta cancel the large parts of ln Γ analytically.
 */
function stirlingCorrection(x: number): number {
  const inverse = 1 / x;
  const inverse2 = inverse * inverse;
  return (
    inverse *
    (1 / 12 +
      inverse2 *
        (-1 / 360 +
          inverse2 *
            (1 / 1260 +
              inverse2 * (-1 / 1680 + inverse2 * (1 / 1188 + inverse2 * (-691 / 360360 + inverse2 / 156))))))
  );
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b) for a, b > 0. For large arguments the three ln Γ terms
 * are huge and nearly cancel (a t distribution with 10⁶ degrees of freedom needs B(5·10⁵, 1/2)), so
 * they are expanded by Stirling's series and the cancellation done by hand, as R's lbeta does.
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const ratio = p / (p + q);
  if (p >= 10) {
    const correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return (
      -0.5 * Math.log(q) + HALF_LOG_2PI + correction + (p - 0.5) * Math.log(ratio) + q * Math.log1p(-ratio)
    );
  }
  if (q >= 10) {
    const correction = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-ratio);
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** ln(x^a e^-x / Γ(a)), the prefactor shared by the gamma series and continued fraction. */
function gammaPrefactorLog(a: number, x: number): number {
  return -x + a * Math.log(x) - logGamma(a);
}

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return sum * Math.exp(gammaPrefactorLog(a, x));
  }
  throw new Error(`regularized gamma series did not converge for a=${a}, x=${x}`);
}

/** Q(a, x) by its continued fraction (modified Lentz); converges quickly for x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return Math.exp(gammaPrefactorLog(a, x)) * h;
  }
  throw new Error(`regularized gamma continued fraction did not converge for a=${a}, x=${x}`);
}

/**
 * Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), for a > 0 and x >= 0
 * (scipy.special.gammainc). P(a, ·) is the CDF of a Gamma(a, 1) variable.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), for a > 0 and x >= 0
 * (scipy.special.gammaincc). Computed directly in the upper tail, so small values keep their
 * relative accuracy.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new Error(`regularized beta continued fraction did not converge for a=${a}, b=${b}, x=${x}`);
}

/**
 * I_x(a, b) given both x and y = 1 - x, so that callers who know 1 - x exactly (the t distribution)
 * do not lose it to cancellation.
 */
function regularizedBetaPair(x: number, y: number, a: number, b: number): number {
  if (x === 0) return 0;
  if (y === 0) return 1;
  // Take each logarithm from whichever of x and y is small, where it carries full relative precision.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  // The continued fraction converges fast below the mean; above it, use the symmetry I_x(a,b) = 1 - I_y(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 <= x <= 1 and
 * a, b > 0 (scipy.special.betainc). I_·(a, b) is the CDF of a Beta(a, b) variable.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  return regularizedBetaPair(x, 1 - x, a, b);
}

/** Complementary error function for z >= 0, through erfc(z) = Q(1/2, z²). */
function erfcNonNegative(z: number): number {
  return regularizedGammaQ(0.5, z * z);
}

/** Standard normal CDF Φ(x) = P(Z <= x) (scipy.stats.norm.cdf). Keeps relative accuracy in the lower tail. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x < 0 ? 0.5 * erfcNonNegative(-x / Math.SQRT2) : 1 - 0.5 * erfcNonNegative(x / Math.SQRT2);
}

/** Standard normal survival function 1 - Φ(x) = P(Z > x) (scipy.stats.norm.sf). Accurate in the upper tail. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/**
 * CDF of Student's t distribution with df degrees of freedom, P(T <= t) (scipy.stats.t.cdf).
 * df may be fractional (Welch–Satterthwaite) and Infinity (the normal distribution).
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === 0) return 0.5;
  // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²); y = 1 - x is formed without cancellation.
  const r = (t * t) / df;
  const x = r === Number.POSITIVE_INFINITY ? 0 : 1 / (1 + r);
  const y = r === Number.POSITIVE_INFINITY ? 1 : r / (1 + r);
  const tail = 0.5 * regularizedBetaPair(x, y, df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** Survival function of Student's t distribution, P(T > t) (scipy.stats.t.sf). Accurate in the upper tail. */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}

/** Survival function of the chi-square distribution with df degrees of freedom, P(X > x) (scipy.stats.chi2.sf). */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/** Density of Student's t distribution (scipy.stats.t.pdf); Infinity degrees of freedom is the normal density. */
export function studentTPdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return Math.exp(-0.5 * t * t - HALF_LOG_2PI);
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(df / 2, 0.5));
}

/**
 * The t > 0 with sf(t) = q for a symmetric distribution, 0 < q <= 1/2: Newton's method on ln sf (which
 * is nearly linear in the tails) kept inside a bisection bracket, so it always converges.
 */
function invertUpperTail(q: number, sf: (t: number) => number, pdf: (t: number) => number): number {
  let low = 0;
  let high = 1;
  while (sf(high) > q) {
    low = high;
    high *= 2;
  }
  let t = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    const tail = sf(t);
    if (tail === q) return t;
    if (tail > q) low = t;
    else high = t;
    const newton = t + (Math.log(tail) - Math.log(q)) * (tail / pdf(t));
    const next = newton > low && newton < high ? newton : (low + high) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t)) return next;
    t = next;
  }
  return t;
}

/**
 * Quantile (inverse CDF) of Student's t distribution: the t with P(T <= t) = p (scipy.stats.t.ppf).
 * df may be fractional and Infinity. Used for t-based confidence intervals.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve in the smaller tail, where the survival function keeps its relative precision.
  const tail = invertUpperTail(
    p < 0.5 ? p : 1 - p,
    (t) => studentTSf(t, df),
    (t) => studentTPdf(t, df),
  );
  return p < 0.5 ? -tail : tail;
}

/** Quantile (inverse CDF) of the standard normal distribution (scipy.stats.norm.ppf). */
export function normalQuantile(p: number): number {
  return studentTQuantile(p, Number.POSITIVE_INFINITY);
}
