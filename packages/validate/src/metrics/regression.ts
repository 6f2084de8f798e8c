import { forEachCounted, type Grouping, groupCount, type Weights } from './groups.ts';

/** Per-row results of a regressor over a validation set. */
export interface RegressionRows {
  readonly task: 'regression';
  readonly truth: Float64Array;
  readonly predicted: Float64Array;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
}

export type RegressionMetricName = keyof RegressionMetrics;

/**
 * RMSE, MAE and R² as scikit-learn defines them, per group and under optional row weights. R² with a
 * constant truth is 1 for a perfect fit and 0 otherwise (r2_score's force_finite).
 */
export function regressionMetrics(
  truth: Float64Array,
  predicted: Float64Array,
  weights?: Weights,
  grouping?: Grouping,
): RegressionMetrics[] {
  const count = groupCount(grouping);
  const total = new Float64Array(count);
  const sumTruth = new Float64Array(count);
  const squared = new Float64Array(count);
  const absolute = new Float64Array(count);
  forEachCounted(truth.length, weights, grouping, (r, group, weight) => {
    const error = truth[r]! - predicted[r]!;
    total[group]! += weight;
    sumTruth[group]! += weight * truth[r]!;
    squared[group]! += weight * error * error;
    absolute[group]! += weight * Math.abs(error);
  });
  const spread = new Float64Array(count);
  forEachCounted(truth.length, weights, grouping, (r, group, weight) => {
    spread[group]! += weight * (truth[r]! - sumTruth[group]! / total[group]!) ** 2;
  });
  return Array.from(total, (n, g) => ({
    rmse: Math.sqrt(squared[g]! / n),
    mae: absolute[g]! / n,
    r2: spread[g]! > 0 ? 1 - squared[g]! / spread[g]! : squared[g] === 0 ? 1 : 0,
  }));
}

/** Computes regression metrics over the rows, each group of them, or a weighting of them. */
export class RegressionScorer {
  readonly rows: RegressionRows;
  readonly names: readonly RegressionMetricName[] = ['rmse', 'mae', 'r2'];

  constructor(rows: RegressionRows) {
    this.rows = rows;
  }

  metricsByGroup(grouping?: Grouping, weights?: Weights): RegressionMetrics[] {
    return regressionMetrics(this.rows.truth, this.rows.predicted, weights, grouping);
  }

  metrics(weights?: Weights): RegressionMetrics {
    return this.metricsByGroup(undefined, weights)[0]!;
  }

  metric(name: RegressionMetricName, weights?: Weights): number {
    return this.metrics(weights)[name];
  }
}
