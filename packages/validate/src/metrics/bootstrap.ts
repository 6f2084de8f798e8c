import { defaultDirection, quantile, seededRandom, UserError } from '@mlactions/core';
import type { EvaluationRows } from '../evaluate/report.ts';
import { ClassificationScorer } from './classification.ts';
import { RegressionScorer } from './regression.ts';

export interface BootstrapOptions {
  /** A scalar metric of the task (accuracy, f1_macro, log_loss, roc_auc, rmse, …). */
  readonly metric: string;
  /** Resamples (default 1000). */
  readonly resamples?: number;
  /** Seed of the resampling (default 0): the same inputs and seed give the same interval. */
  readonly seed?: number;
  /** Two-sided confidence of the interval (default 0.95). */
  readonly confidence?: number;
  /**
   * How much worse than the baseline is tolerated before calling it a regression, in the metric's
   * units (default 0): worse means the whole interval lies beyond `-margin` (or `+margin`).
   */
  readonly margin?: number;
}

export interface BootstrapResult {
  readonly metric: string;
  readonly candidate: number;
  readonly baseline: number;
  /** candidate − baseline on all rows. */
  readonly delta: number;
  /** Percentile interval of candidate − baseline over the resamples. */
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  /** Resamples the metric was defined on (a ROC area needs both classes in the resample). */
  readonly resamples: number;
  readonly seed: number;
  readonly margin: number;
  readonly higherIsBetter: boolean;
  /** The candidate is worse beyond the margin with the given confidence: a real regression. */
  readonly worse: boolean;
  /** The candidate is better with the given confidence. */
  readonly better: boolean;
}

/** A comparison in words: `worse` beyond the margin, `better`, or `within noise` when neither is sure. */
export function bootstrapVerdict(result: Pick<BootstrapResult, 'worse' | 'better'>): string {
  return result.worse ? 'worse' : result.better ? 'better' : 'within noise';
}

type ScoreFn = (weights?: ArrayLike<number>) => number | null;

function scorerFor(rows: EvaluationRows, metric: string): ScoreFn {
  if (rows.task === 'classification') {
    const scorer = new ClassificationScorer(rows, { keepOrders: true });
    const name = scorer.names.find((candidate) => candidate === metric);
    if (!name) throw unknownMetric(metric, scorer.names);
    return (weights) => scorer.metric(name, weights);
  }
  const scorer = new RegressionScorer(rows);
  const name = scorer.names.find((candidate) => candidate === metric);
  if (!name) throw unknownMetric(metric, scorer.names);
  return (weights) => scorer.metric(name, weights);
}

function unknownMetric(metric: string, names: readonly string[]): UserError {
  return new UserError(
    `the bootstrap cannot compare ${JSON.stringify(metric)}; it compares ${names.join(', ')}`,
  );
}

/** Both evaluations must score the same rows, in the same order, with the same classes. */
function checkSameRows(candidate: EvaluationRows, baseline: EvaluationRows): void {
  const problem = (what: string) =>
    new UserError(
      `the candidate's and the baseline's evaluations are not over the same rows: ${what}; evaluate both on the same data`,
    );
  if (candidate.task !== baseline.task) throw problem(`one is ${candidate.task}, the other ${baseline.task}`);
  if (candidate.truth.length !== baseline.truth.length) {
    throw problem(`${candidate.truth.length} rows against ${baseline.truth.length}`);
  }
  if (candidate.task === 'classification' && baseline.task === 'classification') {
    if (candidate.classes.join('\u0000') !== baseline.classes.join('\u0000')) {
      throw problem(
        `classes ${JSON.stringify(candidate.classes)} against ${JSON.stringify(baseline.classes)}`,
      );
    }
  }
  for (let r = 0; r < candidate.truth.length; r++) {
    if (candidate.truth[r] !== baseline.truth[r])
      throw problem(`the labels differ first at scored row ${r + 1}`);
  }
}

/**
 * Paired bootstrap of candidate − baseline for one metric: both models are scored on the same
 * resamples of the rows (drawn with replacement, as row multiplicities), so the interval reflects
 * the difference's noise and not each model's. Costs O(resamples × rows).
 */
export function pairedBootstrap(
  candidate: EvaluationRows,
  baseline: EvaluationRows,
  options: BootstrapOptions,
): BootstrapResult {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  const margin = options.margin ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new UserError(`resamples must be a positive integer, not ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new UserError(`confidence must be between 0 and 1, not ${confidence}`);
  if (!(margin >= 0)) throw new UserError(`margin must be zero or more, not ${margin}`);
  checkSameRows(candidate, baseline);
  const scoreCandidate = scorerFor(candidate, options.metric);
  const scoreBaseline = scorerFor(baseline, options.metric);
  const candidateValue = scoreCandidate();
  const baselineValue = scoreBaseline();
  if (candidateValue === null || baselineValue === null) {
    throw new UserError(`${options.metric} is undefined on these rows (a ROC area needs both classes)`);
  }
  const rows = candidate.truth.length;
  const random = seededRandom(seed);
  const weights = new Uint32Array(rows);
  const deltas: number[] = [];
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    for (let i = 0; i < rows; i++) weights[Math.floor(random() * rows)]!++;
    const c = scoreCandidate(weights);
    const a = scoreBaseline(weights);
    if (c !== null && a !== null) deltas.push(c - a);
  }
  const tail = (1 - confidence) / 2;
  const low = quantile(deltas, tail);
  const high = quantile(deltas, 1 - tail);
  // The report's rule: a metric named as a loss or an error is better lower (log_loss, rmse, mae).
  const up = defaultDirection(options.metric) !== 'lower';
  return {
    metric: options.metric,
    candidate: candidateValue,
    baseline: baselineValue,
    delta: candidateValue - baselineValue,
    low,
    high,
    confidence,
    resamples: deltas.length,
    seed,
    margin,
    higherIsBetter: up,
    worse: up ? high < -margin : low > margin,
    better: up ? low > 0 : high < 0,
  };
}
