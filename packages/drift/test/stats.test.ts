import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachCdfStep, quantile, sampleOf } from '../src/sample.ts';
import { andersonDarling } from '../src/stats/anderson.ts';
import { chiSquareHomogeneity } from '../src/stats/chisquare.ts';
import { adjustPValues } from '../src/stats/correction.ts';
import { besselKScaled, cramerVonMises, cvmLimitCdf } from '../src/stats/cramervonmises.ts';
import { jensenShannonDistance, populationStabilityIndex } from '../src/stats/divergence.ts';
import { kolmogorovSf, smirnov } from '../src/stats/kolmogorov.ts';
import { ksTwoSample } from '../src/stats/ks.ts';
import { wassersteinDistance } from '../src/stats/wasserstein.ts';
import { twoProportionZTest } from '../src/stats/ztest.ts';
import { type GeneratorSpec, generate } from './helpers/prng.ts';

// Reference values: scripts/reference/drift/stats.py (scipy), data regenerated bit for bit here.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/stats.json', import.meta.url), 'utf8'));

/** |actual - expected| <= abs + rel·|expected|. */
function close(actual: number, expected: number, rel: number, abs = 0): void {
  const tolerance = abs + rel * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(`expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}

describe('two-sample Kolmogorov–Smirnov (scipy ks_2samp, method auto)', () => {
  for (const c of fixture.ks as { a: GeneratorSpec; b: GeneratorSpec; statistic: number; pValue: number }[]) {
    it(`${c.a.n} vs ${c.b.n} values`, () => {
      const result = ksTwoSample(sampleOf(generate(c.a)), sampleOf(generate(c.b)));
      close(result.statistic, c.statistic, 0, 1e-9);
      // p-values: 1e-9 relative, or 1e-14 absolute for the tiny ones.
      close(result.pValue, c.pValue, 1e-9, 1e-14);
    });
  }

  it('uses the exact distribution up to 10,000 values per sample and the asymptotic one past that', () => {
    const a = sampleOf(generate({ kind: 'normal4', n: 10_000, seed: 1, loc: 0, scale: 1 }));
    const b = sampleOf(generate({ kind: 'normal4', n: 10_001, seed: 2, loc: 0, scale: 1 }));
    expect(ksTwoSample(a, a).method).toBe('exact');
    expect(ksTwoSample(a, b).method).toBe('asymptotic');
  });
});

describe('two-sample Cramér–von Mises (scipy cramervonmises_2samp, method auto)', () => {
  const cvm = fixture.cramervonmises as {
    cases: { a: GeneratorSpec; b: GeneratorSpec; statistic: number; pValue: number }[];
    limitCdf: { x: number; cdf: number }[];
    besselK: { x: number; kve: number }[];
  };
  for (const c of cvm.cases) {
    it(`${c.a.n} vs ${c.b.n} ${c.a.kind === 'int' ? 'tied ' : ''}values`, () => {
      const result = cramerVonMises(sampleOf(generate(c.a)), sampleOf(generate(c.b)));
      close(result.statistic, c.statistic, 1e-9, 1e-12);
      close(result.pValue, c.pValue, 1e-7, 1e-12);
      expect(result.method).toBe(Math.max(c.a.n, c.b.n) <= 20 ? 'exact' : 'asymptotic');
    });
  }

  it('its limiting distribution and the Bessel function under it match scipy', () => {
    for (const c of cvm.limitCdf) close(cvmLimitCdf(c.x), c.cdf, 1e-9, 1e-12);
    for (const c of cvm.besselK) close(besselKScaled(0.25, c.x), c.kve, 1e-12);
  });

  it('counts a weighted value as that many tied values', () => {
    const a = sampleOf(generate({ kind: 'int', n: 300, seed: 3, k: 5 }));
    const b = sampleOf(generate({ kind: 'normal4', n: 200, seed: 4, loc: 2, scale: 1 }));
    const distinct = [...new Set(a.values)];
    const weights = Float64Array.from(distinct, (v) => a.values.filter((x) => x === v).length);
    const weighted = { values: Float64Array.from(distinct), weights, total: a.total };
    expect(cramerVonMises(weighted, b)).toEqual(cramerVonMises(a, b));
  });
});

describe('two-sample Anderson–Darling (scipy anderson_ksamp, midrank)', () => {
  type Case = { a: GeneratorSpec; b: GeneratorSpec; statistic: number; pValue: number };
  for (const c of fixture.anderson as Case[]) {
    it(`${c.a.n} vs ${c.b.n} ${c.a.kind === 'int' ? 'tied ' : ''}values`, () => {
      const result = andersonDarling(sampleOf(generate(c.a)), sampleOf(generate(c.b)));
      close(result.statistic, c.statistic, 1e-9, 1e-12);
      close(result.pValue, c.pValue, 1e-9);
    });
  }

  it('caps the p-value at 0.25 as scipy does, and has no evidence from a single distinct value', () => {
    const a = sampleOf(generate({ kind: 'normal4', n: 400, seed: 5, loc: 0, scale: 1 }));
    expect(andersonDarling(a, a).pValue).toBe(0.25);
    const constant = sampleOf(new Array(50).fill(3));
    expect(andersonDarling(constant, constant)).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('Kolmogorov distribution (scipy kstwo.sf) and Smirnov (scipy.special.smirnov)', () => {
  it('matches scipy over every branch', () => {
    for (const c of fixture.kstwo as { n: number; x: number; sf: number }[]) {
      close(kolmogorovSf(c.n, c.x), c.sf, 1e-9, 1e-15);
    }
  });
  it('smirnov matches scipy', () => {
    for (const c of fixture.smirnov as { n: number; d: number; sf: number }[]) {
      close(smirnov(c.n, c.d), c.sf, 1e-9, 1e-15);
    }
  });
});

describe('Wasserstein distance (scipy wasserstein_distance)', () => {
  type Case = { u: GeneratorSpec; v: GeneratorSpec; weighted: boolean; distance: number; normalized: number };
  for (const c of fixture.wasserstein as Case[]) {
    it(`${c.u.n} vs ${c.v.n} values${c.weighted ? ', weighted' : ''}`, () => {
      const u = Array.from(generate(c.u));
      const v = Array.from(generate(c.v));
      const sample = (values: number[], weight: (i: number) => number) => {
        const order = values.map((_, i) => i).sort((x, y) => values[x]! - values[y]!);
        const weights = Float64Array.from(order, (i) => (c.weighted ? weight(i) : 1));
        return {
          values: Float64Array.from(order, (i) => values[i]!),
          weights,
          total: weights.reduce((s, w) => s + w, 0),
        };
      };
      const distance = wassersteinDistance(
        sample(u, (i) => (i % 5) + 1),
        sample(v, (i) => (i % 3) + 1),
      );
      close(distance, c.distance, 1e-9);
      if (!c.weighted) {
        const mean = u.reduce((s, x) => s + x, 0) / u.length;
        const std = Math.sqrt(u.reduce((s, x) => s + (x - mean) ** 2, 0) / u.length);
        close(distance / std, c.normalized, 1e-9);
      }
    });
  }
});

describe('histogram divergences', () => {
  it('Jensen–Shannon matches scipy.spatial.distance.jensenshannon (base 2 and base e)', () => {
    for (const c of fixture.histograms) {
      close(jensenShannonDistance(c.p, c.q), c.jensenshannon, 1e-9, 1e-12);
      close(jensenShannonDistance(c.p, c.q, Math.E), c.jensenshannonNatural, 1e-9, 1e-12);
    }
  });
  it('Jensen–Shannon in base 2 reaches 1 for disjoint histograms', () => {
    expect(jensenShannonDistance([3, 0], [0, 7])).toBeCloseTo(1, 12);
  });
  it('PSI matches the documented formula with 0.0001 for empty bins', () => {
    for (const c of fixture.histograms) close(populationStabilityIndex(c.p, c.q), c.psi, 1e-9, 1e-12);
  });
});

describe('chi-square test of homogeneity (scipy chi2_contingency, correction=False)', () => {
  it('matches scipy', () => {
    for (const c of fixture.chisquare) {
      const result = chiSquareHomogeneity(c.reference, c.current);
      close(result.statistic, c.statistic, 1e-9, 1e-12);
      close(result.pValue, c.pValue, 1e-9, 1e-14);
      expect(result.dof).toBe(c.dof);
    }
  });
});

describe('two-proportion z-test', () => {
  it('matches the pooled formula with scipy.stats.norm', () => {
    for (const c of fixture.ztest) {
      const result = twoProportionZTest(c.x1, c.n1, c.x2, c.n2);
      close(result.statistic, c.statistic, 1e-12, 1e-12);
      close(result.pValue, c.pValue, 1e-9, 1e-14);
    }
  });
  it('gives z = 0 and p = 1 when both samples are all true', () => {
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('multiple-testing corrections', () => {
  it('match statsmodels definitions (Bonferroni, Benjamini–Hochberg)', () => {
    for (const c of fixture.corrections) {
      const bonferroni = adjustPValues(c.pValues, 'bonferroni');
      const bh = adjustPValues(c.pValues, 'benjamini-hochberg');
      for (let i = 0; i < bh.length; i++) {
        close(bonferroni[i]!, c.bonferroni[i], 1e-12);
        close(bh[i]!, c.benjaminiHochberg[i], 1e-12);
      }
    }
  });
});

describe('quantiles', () => {
  it('match numpy.quantile (linear) on exact samples', () => {
    for (const c of fixture.quantiles) {
      const sample = sampleOf(generate(c.data));
      for (let i = 0; i < c.q.length; i++) expect(quantile(sample, c.q[i])).toBe(c.quantiles[i]);
    }
  });
});

describe('the two empirical CDFs, step by step', () => {
  it('visits each distinct value of either sample once, with both CDFs at or below it (weights counted)', () => {
    const a = sampleOf([1, 2, 2, 4]);
    const b = { values: Float64Array.of(2, 3), weights: Float64Array.of(1, 3), total: 4 };
    const steps: [number, number, number][] = [];
    forEachCdfStep(a, b, (x, fa, fb) => steps.push([x, fa, fb]));
    expect(steps).toEqual([
      [1, 0.25, 0],
      [2, 0.75, 0.25],
      [3, 0.75, 1],
      [4, 1, 1],
    ]);
  });
});
