import { groupedAuc, rocAucOfAll, type ScoreOrder, sortByScore } from './auc.ts';
import { forEachCounted, type Grouping, groupCount, type Weights } from './groups.ts';

/**
 * Probabilities are clipped to [EPS, 1 - EPS] before the log, as scikit-learn's log_loss does for
 * float64 input (eps="auto" is the dtype's machine epsilon).
 */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Class indices fit 16 bits: a classifier with more output columns is not one this evaluates. */
export const MAX_CLASSES = 65535;

/** Per-row results of a classifier over a validation set: the input of every metric. */
export interface ClassificationRows {
  readonly task: 'classification';
  /** Class names in the order of the probability columns. */
  readonly classes: readonly string[];
  /** True class index per row. */
  readonly truth: Uint16Array;
  /** rows × classes probabilities (after softmax or sigmoid where the model gave logits). */
  readonly probabilities: Float32Array;
  /**
   * The probabilities are one-hot predicted classes (a predictions file with a class per row): there
   * are no scores, so log loss and ROC areas are not computed.
   */
  readonly hard?: boolean;
}

export interface ClassificationMetrics {
  accuracy: number;
  f1_macro: number;
  f1_weighted: number;
  precision_macro: number;
  recall_macro: number;
  /** Absent for hard predictions (no probabilities). */
  log_loss?: number;
  /** Two classes: area under the ROC curve of the second (positive) class's probability. */
  roc_auc?: number | null;
  /** More classes: one-vs-rest areas averaged over the classes that have positives and negatives. */
  roc_auc_ovr_macro?: number | null;
  /** Rows: true class, columns: predicted class, both in `classes` order. */
  confusion_matrix: number[][];
}

/** The scalar classification metrics (all but the confusion matrix). */
export type ClassificationMetricName = Exclude<keyof ClassificationMetrics, 'confusion_matrix'>;

/** The most probable column of each row (the first on ties, as numpy's argmax). */
export function argmaxRows(probabilities: Float32Array, classes: number): Uint16Array {
  const rows = probabilities.length / classes;
  const out = new Uint16Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[base + c]! > probabilities[base + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** One row's log loss: -log of its true class's probability after clipping and renormalising the row. */
export function rowLogLoss(
  probabilities: Float32Array,
  truth: Uint16Array,
  classes: number,
  row: number,
): number {
  const clip = (p: number) => Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  const base = row * classes;
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += clip(probabilities[base + c]!);
  return -Math.log(clip(probabilities[base + truth[row]!]!) / sum);
}

/** Every row's log loss (scikit-learn's log_loss is their mean). */
export function rowLogLosses(probabilities: Float32Array, truth: Uint16Array, classes: number): Float64Array {
  // A plain loop: Float64Array.from with a mapping function took five times as long.
  const losses = new Float64Array(truth.length);
  for (let row = 0; row < truth.length; row++) losses[row] = rowLogLoss(probabilities, truth, classes, row);
  return losses;
}

/** Weighted means of a per-row quantity, one per group. */
export function groupedMean(
  value: (row: number) => number,
  rows: number,
  weights?: Weights,
  grouping?: Grouping,
): number[] {
  const count = groupCount(grouping);
  const sums = new Float64Array(count);
  const totals = new Float64Array(count);
  forEachCounted(rows, weights, grouping, (r, group, weight) => {
    sums[group]! += weight * value(r);
    totals[group]! += weight;
  });
  return Array.from(sums, (sum, g) => sum / totals[g]!);
}

/** The weighted confusion matrix of each group, rows true class and columns predicted, flattened row-major. */
export function groupedConfusion(
  truth: Uint16Array,
  predicted: Uint16Array,
  classes: number,
  weights?: Weights,
  grouping?: Grouping,
): Float64Array[] {
  const size = classes * classes;
  const counts = new Float64Array(groupCount(grouping) * size);
  forEachCounted(truth.length, weights, grouping, (r, group, weight) => {
    counts[group * size + truth[r]! * classes + predicted[r]!]! += weight;
  });
  return Array.from({ length: groupCount(grouping) }, (_, g) => counts.subarray(g * size, (g + 1) * size));
}

/**
 * Accuracy and the macro and weighted precision, recall and F1 of a confusion matrix, as scikit-learn
 * defines them: averages run over the classes present in the truth or the predictions, and a ratio with
 * a zero denominator counts as 0 (zero_division=0).
 */
export function labelMetrics(counts: Float64Array, classes: number) {
  let total = 0;
  let right = 0;
  let present = 0;
  let precisionSum = 0;
  let recallSum = 0;
  let f1Sum = 0;
  let f1Weighted = 0;
  for (let k = 0; k < classes; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < classes; j++) {
      support += counts[k * classes + j]!;
      predicted += counts[j * classes + k]!;
    }
    const tp = counts[k * classes + k]!;
    total += support;
    right += tp;
    if (support === 0 && predicted === 0) continue;
    present++;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    precisionSum += precision;
    recallSum += recall;
    f1Sum += f1;
    f1Weighted += f1 * support;
  }
  return {
    accuracy: total > 0 ? right / total : Number.NaN,
    precision_macro: present > 0 ? precisionSum / present : Number.NaN,
    recall_macro: present > 0 ? recallSum / present : Number.NaN,
    f1_macro: present > 0 ? f1Sum / present : Number.NaN,
    f1_weighted: total > 0 ? f1Weighted / total : Number.NaN,
  };
}

/**
 * Computes classification metrics over the rows, over each group of them (slices) in one pass, or
 * under row weights (bootstrap resamples). Predictions are computed once. Score orders for the ROC
 * areas are sorted per class when needed and dropped after, unless `keepOrders` (repeated calls, as
 * the bootstrap makes, then reuse them).
 */
export class ClassificationScorer {
  readonly rows: ClassificationRows;
  private readonly keepOrders: boolean;
  private readonly orders = new Map<number, ScoreOrder>();
  private predictions: Uint16Array | undefined;
  private losses: Float64Array | undefined;

  constructor(rows: ClassificationRows, options: { keepOrders?: boolean } = {}) {
    this.rows = rows;
    this.keepOrders = options.keepOrders ?? false;
  }

  private get classCount(): number {
    return this.rows.classes.length;
  }

  /** The scalar metrics this task reports (the ROC area's name depends on the class count). */
  get names(): readonly ClassificationMetricName[] {
    const labels = ['accuracy', 'f1_macro', 'f1_weighted', 'precision_macro', 'recall_macro'] as const;
    if (this.rows.hard) return labels;
    return [...labels, 'log_loss', this.classCount === 2 ? 'roc_auc' : 'roc_auc_ovr_macro'];
  }

  /** Predicted class per row: the most probable column (the first on ties). */
  get predicted(): Uint16Array {
    this.predictions ??= argmaxRows(this.rows.probabilities, this.classCount);
    return this.predictions;
  }

  /** Log loss per row. */
  get loss(): Float64Array {
    this.losses ??= rowLogLosses(this.rows.probabilities, this.rows.truth, this.classCount);
    return this.losses;
  }

  /** Rows sorted by one class's probability, that class's rows being the positives. */
  private order(column: number): ScoreOrder {
    const kept = this.orders.get(column);
    if (kept) return kept;
    const { probabilities, truth } = this.rows;
    const order = sortByScore(
      probabilities,
      this.classCount,
      column,
      truth.length,
      (row) => truth[row] === column,
    );
    if (this.keepOrders) this.orders.set(column, order);
    return order;
  }

  /** Per group: binary, the positive class's area; more classes, the macro average of one-vs-rest areas. */
  rocAuc(weights?: Weights, grouping?: Grouping): (number | null)[] {
    // Kept orders serve the weighted calls that follow (the bootstrap's), so they serve this one too.
    const whole = !weights && !grouping && !this.keepOrders;
    const area = (column: number): (number | null)[] => {
      if (!whole) return groupedAuc(this.order(column), weights, grouping);
      const { probabilities, truth } = this.rows;
      return [
        rocAucOfAll(probabilities, this.classCount, column, truth.length, (row) => truth[row] === column),
      ];
    };
    if (this.classCount === 2) return area(1);
    const count = groupCount(grouping);
    const sums = new Float64Array(count);
    const defined = new Float64Array(count);
    for (let c = 0; c < this.classCount; c++) {
      area(c).forEach((value, g) => {
        if (value === null) return;
        sums[g]! += value;
        defined[g]!++;
      });
    }
    return Array.from(sums, (sum, g) => (defined[g]! > 0 ? sum / defined[g]! : null));
  }

  /** Metrics of each group (or of all rows, without a grouping). */
  metricsByGroup(grouping?: Grouping, weights?: Weights): ClassificationMetrics[] {
    const { truth, probabilities } = this.rows;
    const k = this.classCount;
    const confusions = groupedConfusion(truth, this.predicted, k, weights, grouping);
    const scored = !this.rows.hard;
    const losses = scored
      ? groupedMean((r) => rowLogLoss(probabilities, truth, k, r), truth.length, weights, grouping)
      : [];
    const areas = scored ? this.rocAuc(weights, grouping) : [];
    return confusions.map((counts, g) => ({
      ...labelMetrics(counts, k),
      ...(scored ? { log_loss: losses[g]! } : {}),
      ...(!scored ? {} : k === 2 ? { roc_auc: areas[g]! } : { roc_auc_ovr_macro: areas[g]! }),
      confusion_matrix: Array.from({ length: k }, (_, i) => Array.from(counts.subarray(i * k, (i + 1) * k))),
    }));
  }

  metrics(weights?: Weights): ClassificationMetrics {
    return this.metricsByGroup(undefined, weights)[0]!;
  }

  /** One scalar metric, computing no more than it needs (the bootstrap calls this a thousand times). */
  metric(name: ClassificationMetricName, weights?: Weights): number | null {
    const { truth } = this.rows;
    switch (name) {
      case 'accuracy': {
        const predicted = this.predicted;
        return groupedMean((r) => (truth[r] === predicted[r] ? 1 : 0), truth.length, weights)[0]!;
      }
      case 'log_loss': {
        const loss = this.loss;
        return groupedMean((r) => loss[r]!, truth.length, weights)[0]!;
      }
      case 'roc_auc':
      case 'roc_auc_ovr_macro':
        return this.rocAuc(weights)[0]!;
      default: {
        const [counts] = groupedConfusion(truth, this.predicted, this.classCount, weights);
        return labelMetrics(counts!, this.classCount)[name];
      }
    }
  }
}
