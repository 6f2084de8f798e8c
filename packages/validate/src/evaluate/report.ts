import type { ClassificationMetrics, ClassificationRows } from '../metrics/classification.ts';
import type { RegressionMetrics, RegressionRows } from '../metrics/regression.ts';
import type { OutputKind } from './outputs.ts';

export type Task = 'classification' | 'regression';

/**
 * Inference time of one model.run call: per batch, and per row (the batch's time over its rows), at
 * the 50th and 95th percentiles, in milliseconds.
 */
export interface LatencyMetrics {
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_row_p50_ms: number;
  latency_row_p95_ms: number;
}

/** One slice's rows and metrics. A row whose slice cell is empty belongs to the group with value null. */
export interface SliceGroup<M> {
  readonly value: string | null;
  readonly rows: number;
  readonly metrics: M;
}

export interface SliceReport<M> {
  readonly column: string;
  /** Groups sorted by value (null last). */
  readonly groups: readonly SliceGroup<M>[];
}

interface ReportBase {
  /** Rows evaluated (rows with a label). */
  readonly rows: number;
  /** Rows left out because their label was empty. */
  readonly missingLabels: number;
  /** The model's feature columns (absent when a predictions file was scored). */
  readonly features?: readonly string[];
  /** The model output (or the predictions file's columns) scored, and how it was read. */
  readonly output: { readonly name: string; readonly kind: OutputKind };
  /** Rows per inference (absent when a predictions file was scored). */
  readonly batchSize?: number;
}

export interface ClassificationReport extends ReportBase {
  readonly task: 'classification';
  /** Class names in the order of the model's output columns (and of the confusion matrix). */
  readonly classes: readonly string[];
  readonly metrics: ClassificationMetrics & Partial<LatencyMetrics>;
  readonly slices?: SliceReport<ClassificationMetrics>;
}

export interface RegressionReport extends ReportBase {
  readonly task: 'regression';
  readonly metrics: RegressionMetrics & Partial<LatencyMetrics>;
  readonly slices?: SliceReport<RegressionMetrics>;
}

/** Predictions with a set of labels per row, scored as scikit-learn's multilabel metrics. */
export interface MultilabelReport extends ReportBase {
  readonly task: 'multilabel';
  /** Every label seen in the truth or the predictions, sorted. */
  readonly labels: readonly string[];
  readonly metrics: MultilabelMetrics;
  readonly slices?: undefined;
}

/** Scored documents grouped by query, scored as ranking metrics. */
export interface RankingReport extends ReportBase {
  readonly task: 'ranking';
  readonly queries: number;
  /** `ndcg_at_<k>` and `map_at_<k>` for each cutoff, and `mrr`. */
  readonly metrics: Record<string, number>;
  readonly slices?: undefined;
}

export interface MultilabelMetrics {
  f1_micro: number;
  f1_macro: number;
  hamming_loss: number;
}

/** The validate JSON document: `{"task", "rows", "metrics": {...}, ...}`. */
export type ValidationReport = ClassificationReport | RegressionReport | MultilabelReport | RankingReport;

/** Per-row results behind a report: what a paired bootstrap against another model needs. */
export type EvaluationRows = ClassificationRows | RegressionRows;

/** A classification or regression report: what scored rows make. */
export type ScoredReport = ClassificationReport | RegressionReport;

/** The report of a model run now: timed. */
export type ModelReport = ScoredReport & { readonly metrics: LatencyMetrics };

export interface Evaluation {
  readonly report: ModelReport;
  readonly rows: EvaluationRows;
}
