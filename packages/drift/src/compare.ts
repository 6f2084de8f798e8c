/**
 * The drift decision: each column of the reference is tested against the current data, and the
 * dataset has drifted when the share of drifted columns reaches `shareThreshold` (0.5) or a key feature
 * drifts.
 *
 * Default tests (as Evidently chooses them): when the reference has at most 1,000 rows, p-value tests
 * at 0.05 — `ks` for numeric columns (only while both sides are exact values; when a sketch stands in,
 * `wasserstein` instead), `chisquare` for categorical ones, `ztest` for booleans and two-category
 * columns; past 1,000 rows, distances at 0.1 — `wasserstein` for numeric columns, `jensenshannon` for
 * the others. `stattest` and `threshold` options (for all columns or per column) override them. With
 * a correction (`bonferroni`, `benjamini-hochberg`), p-values of the p-value tests are adjusted over
 * the columns tested with one, and the adjusted value is compared with the threshold.
 *
 * Each column ends in a state: `tested`; `type-changed` (most current values do not read as the
 * reference's type, e.g. text in a numeric column: drift without a test); `empty` (no value on one
 * side: nothing to compare);
 * `absent` (the column is missing from the current data); `excluded` (an id or timestamp, or left out
 * by the user); `type-mismatch` (the two profiles typed it differently). Tested and type-changed
 * columns count in the drift share, which is 0 when none is; it is never NaN.
 */
import { UserError } from '@mlactions/core';
import type { ColumnType } from '@mlactions/data';
import type { ColumnProfile, DatasetProfile } from './profile.ts';
import { adjustPValues, type Correction } from './stats/correction.ts';
import {
  type Approximation,
  applicableTests,
  DEFAULT_THRESHOLD,
  type Histograms,
  histogramsOf,
  runTest,
  type StatTestName,
  TEST_KIND,
  type TestableProfile,
} from './stattests.ts';

export interface ColumnDriftOptions {
  stattest?: StatTestName;
  threshold?: number;
}

export interface DriftOptions {
  /** Test for every column it applies to (others keep their default). */
  stattest?: StatTestName;
  /** Threshold for every column (p-value or distance, per the column's test). */
  threshold?: number;
  /** Per-column test and threshold, by column name. */
  columns?: Readonly<Record<string, ColumnDriftOptions>>;
  /** Share of tested columns that must drift for the dataset to drift (0.5; Evidently's drift_share). */
  shareThreshold?: number;
  /** Columns whose drift alone means dataset drift. */
  keyFeatures?: readonly string[];
  /** Multiple-testing correction for p-value tests ('none'). */
  correction?: Correction;
  /** References with at most this many rows get p-value tests by default (1000). */
  smallReferenceRows?: number;
}

export type FeatureState = 'tested' | 'type-changed' | 'empty' | 'absent' | 'excluded' | 'type-mismatch';

export interface ColumnSummary {
  rows: number;
  count: number;
  missing: number;
  missingShare: number;
  invalid: number;
}

/** Chart data: the shares of reference and current over the same bins or top categories. */
export type ChartData =
  | {
      kind: 'histogram';
      /** Bin edges: the outer ones are the smallest and largest value seen on either side. */
      edges: number[];
      reference: number[];
      current: number[];
    }
  | {
      kind: 'categories';
      /** Most prominent categories (by the larger of their two shares), at most 20. */
      categories: string[];
      reference: number[];
      current: number[];
      /** Shares of all other categories together. */
      otherReference: number;
      otherCurrent: number;
    };

export interface FeatureDrift {
  name: string;
  type: ColumnType;
  stattest: StatTestName | null;
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  state: FeatureState;
  /** One sentence on the outcome, for the report. */
  reason: string;
  /** With a correction: the adjusted p-value that was compared with the threshold. */
  adjustedPValue?: number;
  /** ks only: exact or asymptotic p-value. */
  method?: 'exact' | 'asymptotic';
  /** When a sketch stood in for the data: its error bounds. */
  approximation?: Approximation;
  reference: ColumnSummary;
  current: ColumnSummary;
  chart: ChartData | null;
}

export interface DriftReport {
  drifted: boolean;
  driftShare: number;
  features: FeatureDrift[];
  /** The share at or above which the dataset counts as drifted. */
  shareThreshold: number;
  testedCount: number;
  driftedCount: number;
  keyFeatures: string[];
  driftedKeyFeatures: string[];
  correction: Correction;
  reference: { rows: number; sources: string[] };
  current: { rows: number; sources: string[] };
  columnsOnlyInReference: string[];
  columnsOnlyInCurrent: string[];
}

/** Categories shown in a chart. */
const CHART_CATEGORIES = 20;

function summary(column: ColumnProfile | undefined, rows: number): ColumnSummary {
  if (!column) return { rows, count: 0, missing: rows, missingShare: rows > 0 ? 1 : 0, invalid: 0 };
  return {
    rows,
    count: column.count,
    missing: column.missing,
    missingShare: rows > 0 ? column.missing / rows : 0,
    invalid: column.invalid,
  };
}

const shares = (counts: readonly number[]): number[] => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

function chartOf(reference: TestableProfile, current: TestableProfile, histograms: Histograms): ChartData {
  const ref = shares(histograms.reference);
  const cur = shares(histograms.current);
  if (reference.kind === 'numeric' && current.kind === 'numeric') {
    const low = Math.min(...[reference.min, current.min].filter((x): x is number => x !== null));
    const high = Math.max(...[reference.max, current.max].filter((x): x is number => x !== null));
    return { kind: 'histogram', edges: [low, ...histograms.cuts!, high], reference: ref, current: cur };
  }
  const order = histograms.labels
    .map((label, i) => ({ label, i, weight: Math.max(ref[i]!, cur[i]!) }))
    .sort((a, b) => b.weight - a.weight || (a.label < b.label ? -1 : 1));
  const top = order.slice(0, CHART_CATEGORIES);
  const rest = order.slice(CHART_CATEGORIES);
  return {
    kind: 'categories',
    categories: top.map((e) => e.label),
    reference: top.map((e) => ref[e.i]!),
    current: top.map((e) => cur[e.i]!),
    otherReference: rest.reduce((s, e) => s + ref[e.i]!, 0),
    otherCurrent: rest.reduce((s, e) => s + cur[e.i]!, 0),
  };
}

function isConstant(column: TestableProfile): boolean {
  if (column.kind === 'numeric') return column.min === column.max;
  if (column.kind === 'boolean') return column.trueCount === 0 || column.falseCount === 0;
  return column.categories.length + (column.other > 0 ? 1 : 0) <= 1;
}

function checkThreshold(value: number, where: string): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new UserError(`${where}: threshold must be a number >= 0, got ${value}`);
  return value;
}

/** The test and threshold for a column: per-column option, then global option, then default. */
function chooseTest(
  name: string,
  reference: TestableProfile,
  current: TestableProfile,
  referenceRows: number,
  options: DriftOptions,
): { test: StatTestName; threshold: number } {
  const applicable = applicableTests(reference, current);
  const own = options.columns?.[name];
  let test: StatTestName;
  if (own?.stattest) {
    if (!applicable.includes(own.stattest)) {
      throw new UserError(
        `Column ${JSON.stringify(name)}: stattest ${own.stattest} does not apply to a ${reference.type} column; use one of ${applicable.join(', ')}`,
      );
    }
    test = own.stattest;
  } else if (options.stattest && applicable.includes(options.stattest)) {
    test = options.stattest;
  } else {
    const small = referenceRows <= (options.smallReferenceRows ?? 1000);
    if (reference.kind === 'numeric') {
      const exact = reference.values !== null && (current as typeof reference).values !== null;
      test = small && exact ? 'ks' : 'wasserstein';
    } else if (!small) test = 'jensenshannon';
    else test = applicable.includes('ztest') ? 'ztest' : 'chisquare';
  }
  const threshold = checkThreshold(
    own?.threshold ?? options.threshold ?? DEFAULT_THRESHOLD[test],
    `Column ${JSON.stringify(name)}`,
  );
  if (TEST_KIND[test] === 'p-value' && threshold > 1) {
    throw new UserError(
      `Column ${JSON.stringify(name)}: ${test} compares p-values, so its threshold must be at most 1, got ${threshold}`,
    );
  }
  return { test, threshold };
}

function untested(
  column: ColumnProfile,
  state: FeatureState,
  reason: string,
  reference: ColumnSummary,
  current: ColumnSummary,
): FeatureDrift {
  return {
    name: column.name,
    type: column.type,
    stattest: null,
    statistic: null,
    pValue: null,
    threshold: null,
    drifted: false,
    state,
    reason,
    reference,
    current,
    chart: null,
  };
}

/** What a column's type expects of a value, in words. */
const EXPECTED: Record<ColumnType, string> = {
  numeric: 'a number',
  boolean: 'a boolean',
  timestamp: 'a date or time',
  categorical: 'a category',
  id: 'an id',
};

/** Why a column counts as changed type: how many current values do not read as the reference's type. */
function typeChange(reference: ColumnProfile, current: ColumnProfile): string {
  const values = current.count + current.invalid;
  const share =
    current.count === 0
      ? `none of the ${values} current values is`
      : `${current.invalid} of the ${values} current values are not`;
  const example = current.invalidExamples[0];
  return `${reference.type} in the reference, but ${share} ${EXPECTED[reference.type]}${example === undefined ? '' : ` (e.g. ${JSON.stringify(example)})`}`;
}

const formatNumber = (x: number): string =>
  Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(3) : x.toExponential(2);

/** Compares a current profile with a reference profile (see the module notes). */
export function compareProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: DriftOptions = {},
): DriftReport {
  const shareThreshold = options.shareThreshold ?? 0.5;
  if (!(shareThreshold >= 0 && shareThreshold <= 1))
    throw new UserError(`shareThreshold must be between 0 and 1, got ${shareThreshold}`);
  const correction = options.correction ?? 'none';
  const referenceNames = new Set(reference.columns.map((c) => c.name));
  const keyFeatures = [...(options.keyFeatures ?? [])];
  for (const name of [...keyFeatures, ...Object.keys(options.columns ?? {})]) {
    if (!referenceNames.has(name)) {
      throw new UserError(
        `Column ${JSON.stringify(name)} is not in the reference data; its columns are ${[...referenceNames].map((n) => JSON.stringify(n)).join(', ')}`,
      );
    }
  }
  if (options.threshold !== undefined) checkThreshold(options.threshold, 'threshold');

  const features: FeatureDrift[] = reference.columns.map((ref) => {
    const cur = current.columns.find((c) => c.name === ref.name);
    const refSummary = summary(ref, reference.rows);
    const curSummary = summary(cur, current.rows);
    if (!cur)
      return untested(ref, 'absent', 'the column is missing from the current data', refSummary, curSummary);
    if (!ref.included || ref.kind === 'counts') {
      const why =
        ref.type === 'id' || ref.type === 'timestamp'
          ? `${ref.type} columns are not tested unless included`
          : 'left out by the column options';
      return untested(ref, 'excluded', why, refSummary, curSummary);
    }
    if (cur.kind !== ref.kind) {
      return untested(
        ref,
        'type-mismatch',
        `${ref.type} in the reference but ${cur.type} in the current data; profile the current data against the reference`,
        refSummary,
        curSummary,
      );
    }
    if (ref.count > 0 && cur.invalid > cur.count) {
      return {
        ...untested(ref, 'type-changed', typeChange(ref, cur), refSummary, curSummary),
        drifted: true,
      };
    }
    if (ref.count === 0 || cur.count === 0) {
      const side =
        ref.count === 0 ? (cur.count === 0 ? 'either dataset' : 'the reference') : 'the current data';
      return untested(ref, 'empty', `no values in ${side}`, refSummary, curSummary);
    }
    const refTestable = ref as TestableProfile;
    const curTestable = cur as TestableProfile;
    const { test, threshold } = chooseTest(ref.name, refTestable, curTestable, reference.rows, options);
    const outcome = runTest(test, refTestable, curTestable);
    const feature: FeatureDrift = {
      name: ref.name,
      type: ref.type,
      stattest: test,
      statistic: outcome.statistic,
      pValue: outcome.pValue,
      threshold,
      drifted: false,
      state: 'tested',
      reason: '',
      ...(outcome.method ? { method: outcome.method } : {}),
      ...(outcome.approximation ? { approximation: outcome.approximation } : {}),
      reference: refSummary,
      current: curSummary,
      chart: chartOf(refTestable, curTestable, histogramsOf(refTestable, curTestable)),
    };
    if (isConstant(refTestable) && isConstant(curTestable)) feature.reason = 'constant in both datasets; ';
    return feature;
  });

  // Decisions, after the correction over all p-value tests.
  const pTested = features.filter(
    (f) => f.state === 'tested' && f.stattest && TEST_KIND[f.stattest] === 'p-value',
  );
  const adjusted = adjustPValues(
    pTested.map((f) => f.pValue!),
    correction,
  );
  pTested.forEach((f, i) => {
    if (correction !== 'none') f.adjustedPValue = adjusted[i]!;
  });
  for (const f of features) {
    if (f.state !== 'tested' || !f.stattest) continue;
    if (TEST_KIND[f.stattest] === 'p-value') {
      const p = f.adjustedPValue ?? f.pValue!;
      f.drifted = p < f.threshold!;
      const label =
        f.adjustedPValue !== undefined ? `adjusted p-value ${formatNumber(p)}` : `p-value ${formatNumber(p)}`;
      f.reason += `${f.stattest} ${label} ${f.drifted ? '<' : '>='} ${f.threshold}`;
    } else {
      f.drifted = f.statistic! >= f.threshold!;
      f.reason += `${f.stattest} ${formatNumber(f.statistic!)} ${f.drifted ? '>=' : '<'} ${f.threshold}`;
    }
    if (f.current.invalid > 0)
      f.reason += `; ${f.current.invalid} current values are not ${f.type} and were left out`;
  }

  const tested = features.filter((f) => f.state === 'tested' || f.state === 'type-changed');
  const driftedCount = tested.filter((f) => f.drifted).length;
  const driftShare = tested.length > 0 ? driftedCount / tested.length : 0;
  const driftedKeyFeatures = features
    .filter((f) => f.drifted && keyFeatures.includes(f.name))
    .map((f) => f.name);
  const currentNames = current.columns.map((c) => c.name);
  return {
    drifted: (tested.length > 0 && driftShare >= shareThreshold) || driftedKeyFeatures.length > 0,
    driftShare,
    features,
    shareThreshold,
    testedCount: tested.length,
    driftedCount,
    keyFeatures,
    driftedKeyFeatures,
    correction,
    reference: { rows: reference.rows, sources: [...reference.sources] },
    current: { rows: current.rows, sources: [...current.sources] },
    columnsOnlyInReference: features.filter((f) => f.state === 'absent').map((f) => f.name),
    columnsOnlyInCurrent: [
      ...new Set([...current.extraColumns, ...currentNames.filter((n) => !referenceNames.has(n))]),
    ],
  };
}
