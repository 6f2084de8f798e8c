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
  readonly features: readonly string[];
  /** The model output scored, and how it was read. */
  readonly output: { readonly name: string; readonly kind: OutputKind };
  readonly batchSize: number;
}

export interface ClassificationReport extends ReportBase {
  readonly task: 'classification';
  /** Class names in the order of the model's output columns (and of the confusion matrix). */
  readonly classes: readonly string[];
  readonly metrics: ClassificationMetrics & LatencyMetrics;
  readonly slices?: SliceReport<ClassificationMetrics>;
}

export interface RegressionReport extends ReportBase {
  readonly task: 'regression';
  readonly metrics: RegressionMetrics & LatencyMetrics;
  readonly slices?: SliceReport<RegressionMetrics>;
}

/** The validate JSON document: `{"task", "rows", "metrics": {...}, ...}`. */
export type ValidationReport = ClassificationReport | RegressionReport;

/** Per-row results behind a report: what a paired bootstrap against another model needs. */
export type EvaluationRows = ClassificationRows | RegressionRows;

export interface Evaluation {
  readonly report: ValidationReport;
  readonly rows: EvaluationRows;
}
