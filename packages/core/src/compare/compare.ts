import type { HistoryPoint, Metric, MetricSet, MetricValue } from '../metrics/types.ts';
import { type SampleSummary, summarizeSamples } from '../stats/samples.ts';
import { oneSampleTTest, type TTestResult, welchTTest } from '../stats/ttest.ts';
import { type MetricPolicy, type MetricRule, resolvePolicy } from './rules.ts';

/** The statuses of the report's JSON contract. */
export type MetricStatus = 'improved' | 'regressed' | 'unchanged' | 'new' | 'removed';

/**
 * One metric compared between base and head. The first eight fields are the report's JSON contract;
 * the rest say why the status is what it is.
 */
export interface MetricComparison {
  file: string;
  name: string;
  /** The base value: the number, the mean of several values, or the text; null when absent. */
  base: number | string | null;
  head: number | string | null;
  /** head - base for numbers; null for text, absent sides and NaN. */
  delta: number | null;
  /** delta / |base|; null where delta is null or base is 0 or infinite. */
  relative: number | null;
  /** Which way is better; null for metrics with no known direction. */
  better: 'higher' | 'lower' | null;
  /**
   * improved/regressed: a change beyond tolerance (and significant, for several values) in a metric
   * with a direction. unchanged: no change, a change within noise (`significant: false`), or a change
   * that has no better side (`changed: true`: a neutral metric, or text).
   */
  status: MetricStatus;
  /** The value moved beyond tolerance (numbers) or differs (text); true for new and removed metrics. */
  changed: boolean;
  /** For several values: whether the t-test rejects equal means at `alpha`; null otherwise. */
  significant: boolean | null;
  /** Two-sided p-value of that test; null when there was no test. */
  pValue: number | null;
  /** Welch's t-test (several values on both sides) or a one-sample t-test (one value on one side). */
  test: 'welch' | 'one-sample' | null;
  /** Mean and confidence interval of each side with several values; null for a single value or text. */
  baseStats: SampleSummary | null;
  headStats: SampleSummary | null;
  /** Per-step histories, for charts. */
  history?: { base?: HistoryPoint[]; head?: HistoryPoint[] };
}

/** A comparison of all metrics of base and head. */
export interface MetricsReport {
  /** False on a first run: no base metrics, every metric is new. */
  hasBaseline: boolean;
  /** How many runs each side merged (several runs make samples). */
  baseRuns: number;
  headRuns: number;
  /** Significance level of the t-tests. */
  alpha: number;
  /** Confidence level of the intervals. */
  confidence: number;
  metrics: MetricComparison[];
}

export interface CompareOptions {
  /** Per-metric directions and tolerances, later rules overriding earlier ones. */
  rules?: readonly MetricRule[];
  /** Global absolute tolerance (default 0). */
  absolute?: number;
  /** Global relative tolerance (default 1e-9: floating-point noise only). */
  relative?: number;
  /** Significance level for several values (default 0.05). */
  alpha?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
}

/** One side's value reduced to what a comparison needs. */
type Side =
  | { kind: 'text'; text: string }
  | { kind: 'numeric'; value: number; values: readonly number[]; stats: SampleSummary | null };

/**
 * A side's numbers: one value, or several summarized by mean and interval. Several values with a NaN
 * or an infinity among them (a diverged seed) are compared as their mean, which is then not finite.
 */
function sideOf(value: MetricValue, confidence: number): Side {
  if (value.kind === 'text') return { kind: 'text', text: value.text };
  const values = value.kind === 'number' ? [value.value] : value.values;
  const finite = values.every(Number.isFinite);
  const stats = values.length > 1 && finite ? summarizeSamples(values, confidence) : null;
  const mean = values.length === 1 ? values[0]! : values.reduce((sum, item) => sum + item, 0) / values.length;
  return { kind: 'numeric', value: stats?.mean ?? mean, values, stats };
}

function sideText(side: Side): string {
  return side.kind === 'text' ? side.text : String(side.value);
}

function shown(side: Side): number | string {
  return side.kind === 'text' ? side.text : side.value;
}

/** The t-test that fits the sides' sample sizes, or null when neither has several finite values. */
function testOf(base: Side & { kind: 'numeric' }, head: Side & { kind: 'numeric' }) {
  if (base.stats === null && head.stats === null) return null;
  let result: TTestResult | null = null;
  let test: 'welch' | 'one-sample' = 'welch';
  if (base.stats !== null && head.stats !== null) result = welchTTest(head.values, base.values);
  else if (head.stats !== null && base.values.length === 1) {
    result = oneSampleTTest(head.values, base.value);
    test = 'one-sample';
  } else if (base.stats !== null && head.values.length === 1) {
    result = oneSampleTTest(base.values, head.value);
    test = 'one-sample';
  }
  return result === null ? null : { test, pValue: result.pValue };
}

/** Improved or regressed by direction, given that head moved the way `up` says. */
function directedStatus(better: MetricPolicy['better'], up: boolean): MetricStatus {
  if (better === 'neutral') return 'unchanged';
  return (better === 'higher') === up ? 'improved' : 'regressed';
}

/** Compares one metric's two sides under its policy. */
function compareSides(
  base: Side,
  head: Side,
  policy: MetricPolicy,
  alpha: number,
): Omit<MetricComparison, 'file' | 'name' | 'better' | 'history'> {
  const common = { base: shown(base), head: shown(head), significant: null, pValue: null, test: null };
  const stats = {
    baseStats: base.kind === 'numeric' ? base.stats : null,
    headStats: head.kind === 'numeric' ? head.stats : null,
  };
  if (base.kind === 'text' || head.kind === 'text') {
    const changed = sideText(base) !== sideText(head);
    return { ...common, ...stats, delta: null, relative: null, status: 'unchanged', changed };
  }
  const [b, h] = [base.value, head.value];
  if (Number.isNaN(b) || Number.isNaN(h)) {
    // NaN is worse than any number: a metric that became NaN regressed, one that stopped being NaN improved.
    const changed = !(Number.isNaN(b) && Number.isNaN(h));
    const status =
      !changed || policy.better === 'neutral' ? 'unchanged' : Number.isNaN(h) ? 'regressed' : 'improved';
    return { ...common, ...stats, delta: null, relative: null, status, changed };
  }
  const delta = h === b ? 0 : h - b;
  const relative = b !== 0 && Number.isFinite(b) ? delta / Math.abs(b) : null;
  const changed = !(Math.abs(delta) <= policy.absolute + policy.relative * Math.abs(b));
  const tested = testOf(base, head);
  const significant = tested === null ? null : tested.pValue < alpha;
  const statistics = { ...stats, significant, pValue: tested?.pValue ?? null, test: tested?.test ?? null };
  const status = changed && significant !== false ? directedStatus(policy.better, delta > 0) : 'unchanged';
  return { ...common, ...statistics, delta, relative, status, changed };
}

/** A metric present on one side only. */
function oneSided(side: Side, status: 'new' | 'removed') {
  const stats = side.kind === 'numeric' ? side.stats : null;
  return {
    base: status === 'removed' ? shown(side) : null,
    head: status === 'new' ? shown(side) : null,
    delta: null,
    relative: null,
    status,
    changed: true,
    significant: null,
    pValue: null,
    test: null,
    baseStats: status === 'removed' ? stats : null,
    headStats: status === 'new' ? stats : null,
  };
}

function historyOf(base: Metric | undefined, head: Metric | undefined): MetricComparison['history'] {
  if (base?.history === undefined && head?.history === undefined) return undefined;
  return {
    ...(base?.history === undefined ? {} : { base: base.history }),
    ...(head?.history === undefined ? {} : { head: head.history }),
  };
}

function keyOf(file: string, name: string): string {
  return `${file}\u0000${name}`;
}

/** The single file each side was read from, when both were one file each (possibly named differently). */
function singleFiles(base: MetricSet, head: MetricSet): [string, string] | undefined {
  const baseFiles = new Set(base.metrics.map((metric) => metric.file));
  const headFiles = new Set(head.metrics.map((metric) => metric.file));
  if (baseFiles.size !== 1 || headFiles.size !== 1) return undefined;
  return [[...baseFiles][0]!, [...headFiles][0]!];
}

/**
 * Compares head's metrics with base's, matching them by file and name (when each side is a single file,
 * by name alone, so `old.json` and `new.json` compare). Without a base (a first run) every metric is
 * new. Metrics come in head's order, then those only base has.
 */
export function compareMetrics(
  base: MetricSet | undefined,
  head: MetricSet,
  options: CompareOptions = {},
): MetricsReport {
  const alpha = options.alpha ?? 0.05;
  const confidence = options.confidence ?? 0.95;
  const defaults = { absolute: options.absolute ?? 0, relative: options.relative ?? 1e-9 };
  const rules = options.rules ?? [];
  const renamed = base === undefined ? undefined : singleFiles(base, head);
  const baseByKey = new Map(
    (base?.metrics ?? []).map((metric) => [keyOf(renamed?.[1] ?? metric.file, metric.name), metric] as const),
  );
  const compareOne = (
    file: string,
    name: string,
    baseMetric?: Metric,
    headMetric?: Metric,
  ): MetricComparison => {
    const policy = resolvePolicy(file, name, rules, defaults);
    const better = policy.better === 'neutral' ? null : policy.better;
    const baseSide = baseMetric === undefined ? undefined : sideOf(baseMetric.value, confidence);
    const headSide = headMetric === undefined ? undefined : sideOf(headMetric.value, confidence);
    const fields =
      baseSide === undefined
        ? oneSided(headSide!, 'new')
        : headSide === undefined
          ? oneSided(baseSide, 'removed')
          : compareSides(baseSide, headSide, policy, alpha);
    const comparison: MetricComparison = { file, name, ...fields, better };
    const history = historyOf(baseMetric, headMetric);
    if (history !== undefined) comparison.history = history;
    return comparison;
  };
  const metrics = head.metrics.map((metric) => {
    const key = keyOf(metric.file, metric.name);
    const baseMetric = baseByKey.get(key);
    baseByKey.delete(key);
    return compareOne(metric.file, metric.name, baseMetric, metric);
  });
  for (const metric of baseByKey.values()) {
    metrics.push(compareOne(renamed?.[1] ?? metric.file, metric.name, metric, undefined));
  }
  return {
    hasBaseline: base !== undefined,
    baseRuns: base?.runs ?? 0,
    headRuns: head.runs,
    alpha,
    confidence,
    metrics,
  };
}
