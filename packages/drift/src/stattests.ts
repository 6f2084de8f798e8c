/**
 * The drift tests, applied to a column's reference and current profiles.
 *
 * | name          | columns                       | kind     | default threshold | drifted when          |
 * |---------------|-------------------------------|----------|-------------------|-----------------------|
 * | ks            | numeric                       | p-value  | 0.05              | p < threshold         |
 * | cramervonmises| numeric                       | p-value  | 0.05              | p < threshold         |
 * | anderson      | numeric                       | p-value  | 0.05              | p < threshold         |
 * | chisquare     | categorical, boolean          | p-value  | 0.05              | p < threshold         |
 * | ztest         | boolean, two-category columns | p-value  | 0.05              | p < threshold         |
 * | wasserstein   | numeric                       | distance | 0.1               | statistic >= threshold|
 * | jensenshannon | any                           | distance | 0.1               | statistic >= threshold|
 * | psi           | any                           | distance | 0.1               | statistic >= threshold|
 *
 * Definitions: `ks` is scipy's ks_2samp; `cramervonmises` scipy's cramervonmises_2samp (mid-ranks for
 * ties; exact p-value up to 20 values a side, asymptotic past that); `anderson` scipy's anderson_ksamp
 * on the two samples (midrank; its p-value interpolated, so between 0.001 and 0.25); `wasserstein` is
 * scipy's wasserstein_distance divided by the reference's population standard deviation (0.001 when
 * the reference is constant, as Evidently does); `chisquare` is chi2_contingency on the 2×k table over
 * the union of categories without continuity correction; `ztest` the pooled two-proportion z-test; `jensenshannon` scipy's distance in
 * base 2 over the union of categories, or over the numeric bins; `psi` Σ (c - r)·ln(c / r) over the same
 * categories or bins, empty shares taken as 0.0001. Numeric bins are the reference's quantile bins
 * (deciles by default; see NumericBins). Categories outside the kept ones form one "other" category.
 */
import { UserError } from '@mlactions/core';
import { binCounts } from './accumulate.ts';
import { KllSketch } from './kll.ts';
import type { BooleanColumnProfile, CategoricalColumnProfile, NumericColumnProfile } from './profile.ts';
import type { WeightedSample } from './sample.ts';
import { andersonDarling } from './stats/anderson.ts';
import { chiSquareHomogeneity } from './stats/chisquare.ts';
import { cramerVonMises } from './stats/cramervonmises.ts';
import { jensenShannonDistance, populationStabilityIndex } from './stats/divergence.ts';
import { ksTwoSample } from './stats/ks.ts';
import { wassersteinDistance } from './stats/wasserstein.ts';
import { twoProportionZTest } from './stats/ztest.ts';

export type StatTestName =
  | 'ks'
  | 'cramervonmises'
  | 'anderson'
  | 'wasserstein'
  | 'psi'
  | 'jensenshannon'
  | 'chisquare'
  | 'ztest';

export const STAT_TESTS: readonly StatTestName[] = [
  'ks',
  'cramervonmises',
  'anderson',
  'wasserstein',
  'psi',
  'jensenshannon',
  'chisquare',
  'ztest',
];

/** Whether small p-values or large statistics mean drift. */
export type StatTestKind = 'p-value' | 'distance';

export const TEST_KIND: Readonly<Record<StatTestName, StatTestKind>> = {
  ks: 'p-value',
  cramervonmises: 'p-value',
  anderson: 'p-value',
  chisquare: 'p-value',
  ztest: 'p-value',
  wasserstein: 'distance',
  jensenshannon: 'distance',
  psi: 'distance',
};

export const DEFAULT_THRESHOLD: Readonly<Record<StatTestName, number>> = {
  ks: 0.05,
  cramervonmises: 0.05,
  anderson: 0.05,
  chisquare: 0.05,
  ztest: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/** Standard deviation used for a constant reference in `wasserstein`. */
export const CONSTANT_REFERENCE_STD = 0.001;

/** Label of the pooled category for values outside the kept categories. */
export const OTHER_CATEGORY = '(other)';

/** A column that can be tested: both profiles of one of these kinds. */
export type TestableProfile = NumericColumnProfile | CategoricalColumnProfile | BooleanColumnProfile;

export interface TestOutcome {
  statistic: number;
  pValue: number | null;
  /** KS and Cramér–von Mises: how the p-value was computed. */
  method?: 'exact' | 'asymptotic';
  /** Set when a sketch stood in for the data (see FeatureDrift.approximation). */
  approximation?: Approximation;
}

export interface Approximation {
  /** Rank-error bounds of the sketches (fractions of the counts; 0 for exact data). */
  referenceRankError: number;
  currentRankError: number;
  /** Bound on |statistic - statistic on the exact data| (ks, wasserstein), when one is known. */
  statisticError: number | null;
  /** Bound on each numeric bin's share (jensenshannon, psi on numeric columns). */
  binShareError: number | null;
}

/** Histograms of reference and current over the same bins or categories, for the tests and charts. */
export interface Histograms {
  labels: string[];
  reference: number[];
  current: number[];
  /** Numeric bins only: interior cut points. */
  cuts?: number[];
  binShareError?: number;
}

/** The tests that apply to a column kind (given the categories both sides have, for ztest). */
export function applicableTests(reference: TestableProfile, current: TestableProfile): StatTestName[] {
  if (reference.kind === 'numeric')
    return ['ks', 'cramervonmises', 'anderson', 'wasserstein', 'psi', 'jensenshannon'];
  const tests: StatTestName[] = ['chisquare', 'jensenshannon', 'psi'];
  const categories = categoryHistograms(
    reference,
    current as CategoricalColumnProfile | BooleanColumnProfile,
  );
  if (reference.kind === 'boolean' || categories.labels.length <= 2) tests.push('ztest');
  return tests;
}

/** A profile's values (exact) or its sketch's items (weighted). */
export function sampleOfProfile(column: NumericColumnProfile): WeightedSample {
  if (column.values) return { values: Float64Array.from(column.values), total: column.values.length };
  return KllSketch.fromJSON(column.sketch!).sample();
}

/** Counts per bin for numeric columns: the reference's bins, the current data counted into them. */
export function numericHistograms(
  reference: NumericColumnProfile,
  current: NumericColumnProfile,
): Histograms {
  const cuts = reference.bins.cuts;
  const sameCuts =
    current.bins.cuts.length === cuts.length && current.bins.cuts.every((cut, i) => cut === cuts[i]);
  const currentCounts = sameCuts ? current.bins.counts : binCounts(sampleOfProfile(current), cuts);
  const currentExact = sameCuts ? current.bins.exact : current.values !== null;
  const error =
    2 * ((reference.bins.exact ? 0 : reference.rankError) + (currentExact ? 0 : current.rankError));
  const labels = reference.bins.counts.map((_, i) => {
    if (cuts.length === 0) return 'all';
    if (i === 0) return `< ${cuts[0]}`;
    if (i === cuts.length) return `>= ${cuts[i - 1]}`;
    return `[${cuts[i - 1]}, ${cuts[i]})`;
  });
  return {
    labels,
    reference: [...reference.bins.counts],
    current: [...currentCounts],
    cuts: [...cuts],
    ...(error > 0 ? { binShareError: error } : {}),
  };
}

/** Counts per category over the union of both sides' categories (plus "other" when either has one). */
export function categoryHistograms(
  reference: CategoricalColumnProfile | BooleanColumnProfile,
  current: CategoricalColumnProfile | BooleanColumnProfile,
): Histograms {
  const entries = (column: CategoricalColumnProfile | BooleanColumnProfile): [string, number][] =>
    column.kind === 'boolean'
      ? [
          ['true', column.trueCount],
          ['false', column.falseCount],
        ]
      : column.categories;
  const ref = new Map(entries(reference));
  const cur = new Map(entries(current));
  const labels = [...new Set([...ref.keys(), ...cur.keys()])].filter(
    (label) => (ref.get(label) ?? 0) + (cur.get(label) ?? 0) > 0,
  );
  const otherRef = reference.kind === 'categorical' ? reference.other : 0;
  const otherCur = current.kind === 'categorical' ? current.other : 0;
  const out: Histograms = {
    labels,
    reference: labels.map((label) => ref.get(label) ?? 0),
    current: labels.map((label) => cur.get(label) ?? 0),
  };
  if (otherRef + otherCur > 0) {
    out.labels.push(OTHER_CATEGORY);
    out.reference.push(otherRef);
    out.current.push(otherCur);
  }
  return out;
}

export function histogramsOf(reference: TestableProfile, current: TestableProfile): Histograms {
  return reference.kind === 'numeric'
    ? numericHistograms(reference, current as NumericColumnProfile)
    : categoryHistograms(reference, current as CategoricalColumnProfile | BooleanColumnProfile);
}

function approximation(
  reference: NumericColumnProfile,
  current: NumericColumnProfile,
  statisticError: number | null,
  binShareError: number | null,
): Approximation | undefined {
  if (reference.rankError === 0 && current.rankError === 0 && binShareError === null) return undefined;
  return {
    referenceRankError: reference.rankError,
    currentRankError: current.rankError,
    statisticError,
    binShareError,
  };
}

/** Runs one test on a column (the caller has checked that it applies). */
export function runTest(
  test: StatTestName,
  reference: TestableProfile,
  current: TestableProfile,
): TestOutcome {
  if (test === 'cramervonmises' || test === 'anderson') {
    const ref = reference as NumericColumnProfile;
    const cur = current as NumericColumnProfile;
    const [a, b] = [sampleOfProfile(ref), sampleOfProfile(cur)];
    const result = test === 'anderson' ? andersonDarling(a, b) : cramerVonMises(a, b);
    return { ...result, approximation: approximation(ref, cur, null, null) };
  }
  if (test === 'ks' || test === 'wasserstein') {
    const ref = reference as NumericColumnProfile;
    const cur = current as NumericColumnProfile;
    const rankErrors = ref.rankError + cur.rankError;
    if (test === 'ks') {
      const result = ksTwoSample(sampleOfProfile(ref), sampleOfProfile(cur), ref.count, cur.count);
      return {
        statistic: result.statistic,
        pValue: result.pValue,
        method: result.method,
        approximation: approximation(ref, cur, rankErrors, null),
      };
    }
    const std = Math.sqrt(ref.m2 / ref.count);
    const scale = std > 0 ? std : CONSTANT_REFERENCE_STD;
    const distance = wassersteinDistance(sampleOfProfile(ref), sampleOfProfile(cur)) / scale;
    const span = Math.max(ref.max!, cur.max!) - Math.min(ref.min!, cur.min!);
    return {
      statistic: distance,
      pValue: null,
      approximation: approximation(ref, cur, (rankErrors * span) / scale, null),
    };
  }
  const histograms = histogramsOf(reference, current);
  const binError =
    reference.kind === 'numeric' && histograms.binShareError !== undefined
      ? approximation(reference, current as NumericColumnProfile, null, histograms.binShareError)
      : undefined;
  const extra = binError ? { approximation: binError } : {};
  if (test === 'jensenshannon') {
    return {
      statistic: jensenShannonDistance(histograms.reference, histograms.current),
      pValue: null,
      ...extra,
    };
  }
  if (test === 'psi') {
    return {
      statistic: populationStabilityIndex(histograms.reference, histograms.current),
      pValue: null,
      ...extra,
    };
  }
  if (test === 'chisquare') {
    const result = chiSquareHomogeneity(histograms.reference, histograms.current);
    return { statistic: result.statistic, pValue: result.pValue };
  }
  // ztest: the share of the first category (true for booleans).
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  const result = twoProportionZTest(
    histograms.reference[0] ?? 0,
    total(histograms.reference),
    histograms.current[0] ?? 0,
    total(histograms.current),
  );
  return { statistic: result.statistic, pValue: result.pValue };
}

/** Checks a test name given by a user. */
export function parseStatTest(name: string, where: string): StatTestName {
  if ((STAT_TESTS as readonly string[]).includes(name)) return name as StatTestName;
  throw new UserError(
    `${where}: unknown stattest ${JSON.stringify(name)}; use one of ${STAT_TESTS.join(', ')}`,
  );
}
