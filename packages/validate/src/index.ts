export { type LabelCodes, resolveClasses } from './evaluate/classes.ts';
export {
  chooseOutput,
  DEFAULT_BATCH_SIZE,
  type EvaluateOptions,
  evaluate,
  type ValidateOptions,
  validate,
} from './evaluate/evaluate.ts';
export type { MissingLabelPolicy } from './evaluate/missing-labels.ts';
export type { OutputKind, OutputKindOption } from './evaluate/outputs.ts';
export type {
  ClassificationReport,
  Evaluation,
  EvaluationRows,
  LatencyMetrics,
  RegressionReport,
  SliceGroup,
  SliceReport,
  Task,
  ValidationReport,
} from './evaluate/report.ts';
export {
  type ClassificationMetricName,
  type ClassificationMetrics,
  type ClassificationRows,
  ClassificationScorer,
} from './metrics/classification.ts';
export {
  type RegressionMetricName,
  type RegressionMetrics,
  type RegressionRows,
  RegressionScorer,
} from './metrics/regression.ts';
export { type Model, type ModelPort, type OpenModelOptions, openModel } from './model/model.ts';
export { type OpenTableOptions, openTable } from './table/open-table.ts';
export type { ReadPlan, RowBatch, Table, TableFormat } from './table/types.ts';
