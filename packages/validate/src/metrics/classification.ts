import { type ScoreOrder, sortByScore, weightedAuc } from './auc.ts';

/**
 * Probabilities are clipped to [EPS, 1 - EPS] before the log, as scikit-learn's log_loss does for
 * float64 input (eps="auto" is the dtype's machine epsilon).
 */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Per-row results of a classifier over a validation set: the input of every metric. */
export interface ClassificationRows {
  readonly task: 'classification';
  /** Class names in the order of the probability columns. */
  readonly classes: readonly string[];
  /** True class index per row. */
  readonly truth: Int32Array;
  /** rows × classes probabilities (after softmax or sigmoid where the model gave logits). */
  readonly probabilities: Float32Array;
  /** Predicted class index per row: the most probable column (the first one on ties). */
  readonly predicted: Int32Array;
  /** Log loss per row (scikit-learn's clipping and renormalisation). */
  readonly loss: Float64Array;
  /** Whether the row's prediction is right, 1 or 0. */
  readonly correct: Uint8Array;
}

export interface ClassificationMetrics {
  accuracy: number;
  f1_macro: number;
  f1_weighted: number;
  precision_macro: number;
  recall_macro: number;
  log_loss: number;
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
export function argmaxRows(probabilities: Float32Array, classes: number): Int32Array {
  const rows = probabilities.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[base + c]! > probabilities[base + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** Each row's log loss: -log of its true class's probability after clipping and renormalising the row. */
export function rowLogLoss(probabilities: Float32Array, truth: Int32Array, classes: number): Float64Array {
  const out = new Float64Array(truth.length);
  const clip = (p: number) => Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  for (let r = 0; r < truth.length; r++) {
    const base = r * classes;
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += clip(probabilities[base + c]!);
    out[r] = -Math.log(clip(probabilities[base + truth[r]!]!) / sum);
  }
  return out;
}

/** The (weighted) confusion matrix, rows true class and columns predicted, flattened row-major. */
export function confusionCounts(
  truth: Int32Array,
  predicted: Int32Array,
  classes: number,
  weights?: ArrayLike<number>,
): Float64Array {
  const counts = new Float64Array(classes * classes);
  for (let r = 0; r < truth.length; r++)
    counts[truth[r]! * classes + predicted[r]!]! += weights ? weights[r]! : 1;
  return counts;
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

/** The mean of values under row weights (none: every row once). */
export function weightedMean(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let r = 0; r < values.length; r++) {
    const weight = weights ? weights[r]! : 1;
    sum += values[r]! * weight;
    total += weight;
  }
  return sum / total;
}

/**
 * Computes classification metrics over the rows, or over a weighting of them (a slice, a bootstrap
 * resample). Score orders for the ROC areas are sorted once and kept.
 */
export class ClassificationScorer {
  readonly rows: ClassificationRows;
  private readonly orders = new Map<number, ScoreOrder>();

  constructor(rows: ClassificationRows) {
    this.rows = rows;
  }

  private get classCount(): number {
    return this.rows.classes.length;
  }

  /** The scalar metrics this task reports (the ROC area's name depends on the class count). */
  get names(): readonly ClassificationMetricName[] {
    const auc = this.classCount === 2 ? 'roc_auc' : 'roc_auc_ovr_macro';
    return ['accuracy', 'f1_macro', 'f1_weighted', 'precision_macro', 'recall_macro', 'log_loss', auc];
  }

  private order(column: number): ScoreOrder {
    let order = this.orders.get(column);
    if (!order) {
      order = sortByScore(this.rows.probabilities, this.classCount, column, this.rows.truth.length);
      this.orders.set(column, order);
    }
    return order;
  }

  /** Binary: the positive class's area; more classes: the macro average of one-vs-rest areas. */
  rocAuc(weights?: ArrayLike<number>): number | null {
    const { truth } = this.rows;
    if (this.classCount === 2) return weightedAuc(this.order(1), (row) => truth[row] === 1, weights);
    let sum = 0;
    let defined = 0;
    for (let c = 0; c < this.classCount; c++) {
      const area = weightedAuc(this.order(c), (row) => truth[row] === c, weights);
      if (area === null) continue;
      sum += area;
      defined++;
    }
    return defined > 0 ? sum / defined : null;
  }

  metrics(weights?: ArrayLike<number>): ClassificationMetrics {
    const { truth, predicted, loss } = this.rows;
    const k = this.classCount;
    const counts = confusionCounts(truth, predicted, k, weights);
    const auc = this.rocAuc(weights);
    return {
      ...labelMetrics(counts, k),
      log_loss: weightedMean(loss, weights),
      ...(k === 2 ? { roc_auc: auc } : { roc_auc_ovr_macro: auc }),
      confusion_matrix: Array.from({ length: k }, (_, i) => Array.from(counts.subarray(i * k, (i + 1) * k))),
    };
  }

  /** One scalar metric, computing no more than it needs (the bootstrap calls this a thousand times). */
  metric(name: ClassificationMetricName, weights?: ArrayLike<number>): number | null {
    switch (name) {
      case 'accuracy':
        return weightedMean(this.rows.correct, weights);
      case 'log_loss':
        return weightedMean(this.rows.loss, weights);
      case 'roc_auc':
      case 'roc_auc_ovr_macro':
        return this.rocAuc(weights);
      default: {
        const counts = confusionCounts(this.rows.truth, this.rows.predicted, this.classCount, weights);
        return labelMetrics(counts, this.classCount)[name];
      }
    }
  }
}
