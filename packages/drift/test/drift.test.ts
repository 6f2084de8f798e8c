import { readFileSync } from 'node:fs';
import { isUserError } from '@mlactions/core';
import type { DataSource } from '@mlactions/data';
import { describe, expect, it } from 'vitest';
import { csvSource, csvText, memorySource, userErrorOf } from '../../data/test/helpers/data.ts';
import { compareProfiles, type DriftOptions, type FeatureDrift } from '../src/compare.ts';
import { checkDrift } from '../src/drift.ts';
import { profileSources } from '../src/profiler.ts';
import { sampleOf } from '../src/sample.ts';
import { andersonDarling } from '../src/stats/anderson.ts';
import { cramerVonMises } from '../src/stats/cramervonmises.ts';
import { type GeneratorSpec, generate, mulberry32, normals } from './helpers/prng.ts';

// Reference values: scripts/reference/drift/profiles.py (scipy on the same generated data).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/profiles.json', import.meta.url), 'utf8'));

function close(actual: number | null | undefined, expected: number, rel: number, abs = 0): void {
  const tolerance = abs + rel * Math.abs(expected);
  if (actual === null || actual === undefined || !(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(`expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}

async function drift(reference: DataSource, current: DataSource, options: DriftOptions = {}) {
  return (await checkDrift({ reference, current, drift: options })).report;
}

async function feature(
  reference: DataSource,
  current: DataSource,
  options: DriftOptions = {},
): Promise<FeatureDrift> {
  return (await drift(reference, current, options)).features[0]!;
}

const labels = (spec: GeneratorSpec): string[] => Array.from(generate(spec), (v) => `c${v}`);

describe('numeric columns, end to end from CSV, against scipy', () => {
  for (const c of fixture.numeric) {
    it(`${c.reference.n} vs ${c.current.n} values`, async () => {
      const reference = csvSource('ref.csv', { x: generate(c.reference) });
      const current = csvSource('cur.csv', { x: generate(c.current) });
      const profile = await profileSources(reference);
      const column = profile.columns[0]!;
      expect(column.kind === 'numeric' && column.bins.cuts).toEqual(c.cuts);
      expect(column.kind === 'numeric' && column.bins.counts).toEqual(c.referenceCounts);

      const ks = await feature(reference, current, { stattest: 'ks' });
      close(ks.statistic, c.ks.statistic, 0, 1e-9);
      close(ks.pValue, c.ks.pValue, 1e-9, 1e-14);
      close((await feature(reference, current, { stattest: 'wasserstein' })).statistic, c.wasserstein, 1e-6);
      close(
        (await feature(reference, current, { stattest: 'jensenshannon' })).statistic,
        c.jensenshannon,
        1e-6,
        1e-12,
      );
      close((await feature(reference, current, { stattest: 'psi' })).statistic, c.psi, 1e-6, 1e-12);
      // Defaults: KS up to 1,000 reference rows, Wasserstein past that.
      const byDefault = await feature(reference, current);
      expect(byDefault.stattest).toBe(c.reference.n <= 1000 ? 'ks' : 'wasserstein');
    });
  }
});

describe('categorical columns, end to end from CSV, against scipy', () => {
  for (const c of fixture.categorical) {
    it(`${c.reference.n} vs ${c.current.n} values`, async () => {
      const reference = csvSource('ref.csv', { cat: labels(c.reference) });
      const current = csvSource('cur.csv', { cat: labels(c.current) });
      const chi = await feature(reference, current, { stattest: 'chisquare' });
      close(chi.statistic, c.chisquare.statistic, 1e-6);
      close(chi.pValue, c.chisquare.pValue, 1e-6, 1e-14);
      close(
        (await feature(reference, current, { stattest: 'jensenshannon' })).statistic,
        c.jensenshannon,
        1e-6,
      );
      close((await feature(reference, current, { stattest: 'psi' })).statistic, c.psi, 1e-6);
      expect((await feature(reference, current)).stattest).toBe(
        c.reference.n <= 1000 ? 'chisquare' : 'jensenshannon',
      );
    });
  }
});

describe('when a sketch stands in for the data', () => {
  const c = fixture.sketched[0];
  it('KS and Wasserstein stay within the stated bounds of scipy on the full data; bins within their share error', async () => {
    const reference = csvSource('ref.csv', { x: generate(c.reference) });
    const current = csvSource('cur.csv', { x: generate(c.current) });
    const ks = await feature(reference, current, { stattest: 'ks' });
    expect(ks.approximation!.referenceRankError).toBeGreaterThan(0);
    expect(Math.abs(ks.statistic! - c.ks.statistic)).toBeLessThanOrEqual(ks.approximation!.statisticError!);
    const w = await feature(reference, current, { stattest: 'wasserstein' });
    expect(Math.abs(w.statistic! - c.wasserstein)).toBeLessThanOrEqual(w.approximation!.statisticError!);
    // In practice far inside the bound:
    close(w.statistic, c.wasserstein, 0.05);
    const js = await feature(reference, current, { stattest: 'jensenshannon' });
    const profile = await profileSources(reference);
    const column = profile.columns[0]!;
    if (column.kind !== 'numeric') throw new Error('numeric expected');
    const n = c.reference.n;
    column.bins.counts.forEach((count, i) => {
      const cut = column.bins.cuts;
      // The share of the reference in each sketch-derived bin, recounted exactly, is within the bound.
      const values = Array.from(generate(c.reference));
      const lo = i === 0 ? Number.NEGATIVE_INFINITY : cut[i - 1]!;
      const hi = i === cut.length ? Number.POSITIVE_INFINITY : cut[i]!;
      const exact = values.filter((v) => v >= lo && v < hi).length;
      expect(Math.abs(count - exact) / n).toBeLessThanOrEqual(2 * column.rankError);
    });
    expect(js.approximation!.binShareError).toBeCloseTo(2 * column.rankError, 12);
    close(js.statistic, c.jensenshannon, 0, 0.03);
    expect(ks.drifted).toBe(true);
  });
});

describe('Cramér–von Mises and Anderson–Darling on profiles', () => {
  it('read the same as on the data itself, and find a change of spread with the mean unchanged', async () => {
    const ref = generate({ kind: 'normal4', n: 300, seed: 31, loc: 0, scale: 1 });
    const cur = generate({ kind: 'normal4', n: 250, seed: 32, loc: 0, scale: 1.6 });
    const tests = { cramervonmises: cramerVonMises, anderson: andersonDarling } as const;
    for (const [stattest, direct] of Object.entries(tests)) {
      const found = await feature(csvSource('r.csv', { x: ref }), csvSource('c.csv', { x: cur }), {
        stattest: stattest as keyof typeof tests,
      });
      const expected = direct(sampleOf(ref), sampleOf(cur));
      expect(found).toMatchObject({ stattest, drifted: true, threshold: 0.05 });
      close(found.statistic, expected.statistic, 1e-12);
      close(found.pValue, expected.pValue, 1e-12, 1e-15);
    }
  });

  it('on sketches, decides as on the full data and says that a sketch stood in', async () => {
    const c = fixture.sketched[0];
    const reference = generate(c.reference);
    const current = generate(c.current);
    const cvm = await feature(csvSource('r.csv', { x: reference }), csvSource('c.csv', { x: current }), {
      stattest: 'cramervonmises',
    });
    const exact = cramerVonMises(sampleOf(reference), sampleOf(current));
    expect(cvm.approximation!.referenceRankError).toBeGreaterThan(0);
    expect(cvm.drifted).toBe(exact.pValue < 0.05);
    close(cvm.statistic, exact.statistic, 0.05);
  });
});

describe('drift decisions under the defaults', () => {
  const both = (x: ArrayLike<number>) => ({ x });

  it('identical distributions are not drift (small and large references)', async () => {
    for (const n of [500, 20_000]) {
      const report = await drift(
        csvSource('r.csv', both(normals(n, 1))),
        csvSource('c.csv', both(normals(n, 2))),
      );
      expect(report.drifted).toBe(false);
      expect(report.features[0]!.drifted).toBe(false);
    }
  });

  it('a mean shift of half a standard deviation is drift (small and large references)', async () => {
    for (const n of [500, 20_000]) {
      const report = await drift(
        csvSource('r.csv', both(normals(n, 3))),
        csvSource('c.csv', both(normals(n, 4, 0.5))),
      );
      expect(report.features[0]!.stattest).toBe(n <= 1000 ? 'ks' : 'wasserstein');
      expect(report.drifted).toBe(true);
    }
  });

  it('a 0.02-std shift on 200,000 rows is not drift', async () => {
    const report = await drift(
      csvSource('r.csv', both(normals(200_000, 5))),
      csvSource('c.csv', both(normals(200_000, 6, 0.02))),
    );
    expect(report.features[0]!.stattest).toBe('wasserstein');
    expect(report.features[0]!.statistic).toBeLessThan(0.05);
    expect(report.drifted).toBe(false);
  });

  it('a small current sample (150 rows) with a real shift is drift', async () => {
    for (const n of [800, 50_000]) {
      const report = await drift(
        csvSource('r.csv', both(normals(n, 7))),
        csvSource('c.csv', both(normals(150, 8, 0.6))),
      );
      expect(report.drifted).toBe(true);
    }
  });

  it('a new category is drift (small and large references)', async () => {
    for (const n of [600, 30_000]) {
      const next = mulberry32(9);
      const pick = (k: number) => Array.from({ length: n }, () => `v${Math.floor(next() * k)}`);
      const report = await drift(csvSource('r.csv', { cat: pick(4) }), csvSource('c.csv', { cat: pick(5) }));
      expect(report.features[0]!.stattest).toBe(n <= 1000 ? 'chisquare' : 'jensenshannon');
      expect(report.features[0]!.drifted).toBe(true);
      const chart = report.features[0]!.chart;
      expect(chart?.kind === 'categories' && chart.categories).toContain('v4');
    }
  });

  it('booleans use the z-test on small references and Jensen–Shannon on large ones', async () => {
    const next = mulberry32(10);
    const flags = (n: number, p: number) => Array.from({ length: n }, () => (next() < p ? 'true' : 'false'));
    const small = await feature(
      csvSource('r.csv', { b: flags(400, 0.3) }),
      csvSource('c.csv', { b: flags(400, 0.5) }),
    );
    expect([small.type, small.stattest, small.drifted]).toEqual(['boolean', 'ztest', true]);
    const large = await feature(
      csvSource('r.csv', { b: flags(5000, 0.3) }),
      csvSource('c.csv', { b: flags(5000, 0.31) }),
    );
    expect([large.stattest, large.drifted]).toEqual(['jensenshannon', false]);
  });
});

describe('columns that cannot be tested, and the drift share', () => {
  it('reports empty, all-NaN, constant, absent and extra columns by state, never NaN in the share', async () => {
    const n = 300;
    const reference = csvSource('r.csv', {
      empty: new Array(n).fill(''),
      nan: new Array(n).fill('NaN'),
      constant: new Array(n).fill(7),
      gone: normals(n, 1),
      x: normals(n, 2),
    });
    const current = csvSource('c.csv', {
      empty: new Array(n).fill('NA'),
      nan: normals(n, 3),
      constant: new Array(n).fill(7),
      x: normals(n, 4, 2),
      added: normals(n, 5),
    });
    const report = await drift(reference, current);
    const state = Object.fromEntries(report.features.map((f) => [f.name, [f.state, f.drifted]]));
    expect(state).toEqual({
      empty: ['empty', false],
      nan: ['empty', false],
      constant: ['tested', false],
      gone: ['absent', false],
      x: ['tested', true],
    });
    const constant = report.features.find((f) => f.name === 'constant')!;
    expect(constant.reason).toMatch(/^constant in both datasets/);
    expect(report.features.find((f) => f.name === 'nan')!.reference).toEqual({
      rows: n,
      count: 0,
      missing: n,
      missingShare: 1,
      invalid: 0,
    });
    expect([report.testedCount, report.driftedCount, report.driftShare, report.drifted]).toEqual([
      2,
      1,
      0.5,
      true,
    ]);
    expect(report.columnsOnlyInReference).toEqual(['gone']);
    expect(report.columnsOnlyInCurrent).toEqual(['added']);
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
  });

  it('gives a share of 0 (not NaN) when comparing profiles in which nothing can be tested', async () => {
    const empty = await profileSources(csvSource('r.csv', { a: ['', ''] }));
    const report = compareProfiles(empty, empty);
    expect([report.testedCount, report.driftShare, report.drifted]).toEqual([0, 0, false]);
  });

  it('is an error when the check tests no column, saying why', async () => {
    const columns = { a: normals(50, 1), b: normals(50, 2) };
    const semicolons = memorySource('c.csv', csvText(columns).replaceAll(',', ';'));
    const message = await userErrorOf(drift(csvSource('r.csv', columns), semicolons));
    expect(message).toBe(
      'The drift check tested no column: the current data has none of the reference\'s columns "a", "b" (its columns: "a;b"). Check the delimiter and that both sides have the same schema.',
    );
    const empty = await userErrorOf(
      drift(csvSource('r.csv', { a: ['', ''] }), csvSource('c.csv', { a: ['', ''] })),
    );
    expect(empty).toBe('The drift check tested no column: "a" has no values in either dataset.');
  });

  it('reports a numeric column whose current values are all text as a type change, which is drift', async () => {
    const n = 300;
    const reference = csvSource('r.csv', { x: normals(n, 1), y: normals(n, 2) });
    const current = csvSource('c.csv', {
      x: Array.from({ length: n }, (_, i) => `level ${i % 3}`),
      y: normals(n, 3),
    });
    const report = await drift(reference, current);
    const x = report.features.find((f) => f.name === 'x')!;
    expect([x.state, x.drifted, x.reason]).toEqual([
      'type-changed',
      true,
      'numeric in the reference, but none of the 300 current values is a number (e.g. "level 0")',
    ]);
    expect([report.testedCount, report.driftedCount, report.drifted]).toEqual([2, 1, true]);
  });

  it('a constant reference gets a finite Wasserstein distance', async () => {
    const report = await drift(
      csvSource('r.csv', { x: new Array(2000).fill(1) }),
      csvSource('c.csv', { x: new Array(2000).fill(1.01) }),
    );
    expect(report.features[0]!.statistic).toBeCloseTo(10, 6); // 0.01 / 0.001
    expect(report.drifted).toBe(true);
  });

  it('drifts the dataset when a key feature drifts, whatever the share', async () => {
    const columns = (seed: number, shift: number) => ({
      a: normals(500, seed, shift),
      b: normals(500, seed + 1),
      c: normals(500, seed + 2),
    });
    const reference = csvSource('r.csv', columns(1, 0));
    const current = csvSource('c.csv', columns(11, 1));
    const plain = await drift(reference, current);
    expect([plain.driftedCount, plain.drifted]).toEqual([1, false]);
    const keyed = await drift(reference, current, { keyFeatures: ['a'] });
    expect([keyed.drifted, keyed.driftedKeyFeatures]).toEqual([true, ['a']]);
    const lower = await drift(reference, current, { shareThreshold: 0.3 });
    expect(lower.drifted).toBe(true);
  });
});

describe('options', () => {
  const reference = () => {
    const columns: Record<string, Float64Array> = {};
    for (let i = 0; i < 5; i++) columns[`x${i}`] = normals(400, 20 + i);
    return csvSource('r.csv', columns);
  };
  const current = () => {
    const columns: Record<string, Float64Array> = {};
    for (let i = 0; i < 5; i++) columns[`x${i}`] = normals(400, 40 + i, i === 0 ? 0.2 : 0);
    return csvSource('c.csv', columns);
  };

  it('adjusts p-values with Bonferroni or Benjamini–Hochberg before comparing them', async () => {
    const plain = await drift(reference(), current());
    const bonferroni = await drift(reference(), current(), { correction: 'bonferroni' });
    const bh = await drift(reference(), current(), { correction: 'benjamini-hochberg' });
    const p = plain.features.map((f) => f.pValue!);
    expect(bonferroni.features.map((f) => f.adjustedPValue)).toEqual(p.map((x) => Math.min(1, 5 * x)));
    expect(bh.features.every((f, i) => f.adjustedPValue! >= p[i]!)).toBe(true);
    expect(plain.features.every((f) => f.adjustedPValue === undefined)).toBe(true);
  });

  it('takes a test and threshold for all columns or per column, and refuses ones that do not apply', async () => {
    const report = await drift(reference(), current(), {
      stattest: 'psi',
      threshold: 0.5,
      columns: { x1: { stattest: 'wasserstein', threshold: 0.01 } },
    });
    expect(report.features.map((f) => [f.stattest, f.threshold])).toEqual([
      ['psi', 0.5],
      ['wasserstein', 0.01],
      ['psi', 0.5],
      ['psi', 0.5],
      ['psi', 0.5],
    ]);
    const error = await drift(reference(), current(), { columns: { x1: { stattest: 'chisquare' } } }).catch(
      (e) => e,
    );
    expect(isUserError(error)).toBe(true);
    expect(error.message).toBe(
      'Column "x1": stattest chisquare does not apply to a numeric column; use one of ks, cramervonmises, anderson, wasserstein, psi, jensenshannon',
    );
    const pThreshold = await drift(reference(), current(), { stattest: 'ks', threshold: 5 }).catch((e) => e);
    expect(pThreshold.message).toBe(
      'Column "x0": ks compares p-values, so its threshold must be at most 1, got 5',
    );
    const unknown = await drift(reference(), current(), { keyFeatures: ['nope'] }).catch((e) => e);
    expect(unknown.message).toMatch(/^Column "nope" is not in the reference data/);
  });

  it('compares stored profiles as it compares data', async () => {
    const ref = await profileSources(reference());
    const stored = JSON.parse(JSON.stringify(ref));
    const cur = await profileSources(current(), { reference: stored });
    const fromProfiles = compareProfiles(stored, cur);
    const fromData = await drift(reference(), current());
    expect(fromProfiles.features.map((f) => f.statistic)).toEqual(fromData.features.map((f) => f.statistic));
    const fromStored = (await checkDrift({ reference: stored, current: current() })).report;
    expect(fromStored).toEqual(fromData);
  });
});
