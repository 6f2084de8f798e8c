// Evaluating an ONNX model over a validation set, and the gate's rules.

export { type ClassifierCurves, classifierCurves, writeCurveFiles } from './evaluate/curves.ts';
export {
  DEFAULT_BATCH_SIZE,
  type EvaluateOptions,
  evaluate,
  type ValidateOptions,
  validate,
} from './evaluate/evaluate.ts';
export { type FlattenableReport, flattenReport, MISSING_SLICE } from './evaluate/flatten.ts';
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
  type OpenTableOptions,
  openTable,
  type ReadPlan,
  type RowBatch,
  type Table,
} from './evaluate/table.ts';
export {
  type BaselineSource,
  type BaselineStore,
  type BootstrapCheck,
  type BootstrapSettings,
  failureLines,
  type GateCandidate,
  type GateOutcome,
  type GateRequest,
  gateJson,
  headlineMetric,
  runGate,
} from './gate/gate.ts';
export {
  type GateCheckRun,
  type GateFlowDeps,
  type GateFlowInputs,
  type GateFlowResult,
  type GateStatus,
  runGateFlow,
} from './gate/gate-flow.ts';
export { type GateSettingsText, gateRequestFrom } from './gate/gate-settings.ts';
export { manifestMetrics, readGateMetrics } from './gate/metrics-source.ts';
export { gateHeadline, type RenderedGate, renderGate, renderValidation } from './gate/render.ts';
export {
  type BootstrapOptions,
  type BootstrapResult,
  pairedBootstrap,
} from './metrics/bootstrap.ts';
export {
  type ClassificationMetricName,
  type ClassificationMetrics,
  type ClassificationRows,
  ClassificationScorer,
} from './metrics/classification.ts';
export type { Grouping, Weights } from './metrics/groups.ts';
export {
  type RegressionMetricName,
  type RegressionMetrics,
  type RegressionRows,
  RegressionScorer,
} from './metrics/regression.ts';
export {
  describeModelPort,
  type Model,
  type ModelPort,
  type OpenModelOptions,
  openModel,
  type Tensors,
} from './model/model.ts';
export {
  evaluateRule,
  evaluateRules,
  formatValue,
  type MetricValues,
  type MissingBaselinePolicy,
  metricNames,
  type RuleContext,
  type RuleResult,
  ruleUsesBaseline,
} from './rules/evaluate.ts';
export { type Comparator, type Expr, parseRule, type Rule } from './rules/parse.ts';
