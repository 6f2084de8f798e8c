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
 * RMSE, MAE and R² as scikit-learn defines them, under optional row weights. R² with a constant truth
 * is 1 for a perfect fit and 0 otherwise (r2_score's force_finite).
 */
export function regressionMetrics(
  truth: Float64Array,
  predicted: Float64Array,
  weights?: ArrayLike<number>,
): RegressionMetrics {
  let total = 0;
  let sumTruth = 0;
  let squared = 0;
  let absolute = 0;
  for (let r = 0; r < truth.length; r++) {
    const weight = weights ? weights[r]! : 1;
    const error = truth[r]! - predicted[r]!;
    total += weight;
    sumTruth += weight * truth[r]!;
    squared += weight * error * error;
    absolute += weight * Math.abs(error);
  }
  const mean = sumTruth / total;
  let spread = 0;
  for (let r = 0; r < truth.length; r++) {
    const weight = weights ? weights[r]! : 1;
    spread += weight * (truth[r]! - mean) ** 2;
  }
  const r2 = spread > 0 ? 1 - squared / spread : squared === 0 ? 1 : 0;
  return { rmse: Math.sqrt(squared / total), mae: absolute / total, r2 };
}

/** Computes regression metrics over the rows or a weighting of them (a slice, a bootstrap resample). */
export class RegressionScorer {
  readonly rows: RegressionRows;
  readonly names: readonly RegressionMetricName[] = ['rmse', 'mae', 'r2'];

  constructor(rows: RegressionRows) {
    this.rows = rows;
  }

  metrics(weights?: ArrayLike<number>): RegressionMetrics {
    return regressionMetrics(this.rows.truth, this.rows.predicted, weights);
  }

  metric(name: RegressionMetricName, weights?: ArrayLike<number>): number {
    return this.metrics(weights)[name];
  }
}
