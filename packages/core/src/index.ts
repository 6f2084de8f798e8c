export {
  type CompareOptions,
  compareMetrics,
  type MetricComparison,
  type MetricStatus,
  type MetricsReport,
} from './compare/compare.ts';
export { type Direction, defaultDirection } from './compare/direction.ts';
export { type JsonNumber, type MetricJson, type ReportJson, reportToJson } from './compare/json.ts';
export {
  type MetricPolicy,
  type MetricRule,
  parseMetricRules,
  resolvePolicy,
  ruleMatches,
  type Tolerance,
} from './compare/rules.ts';
export { InputReader, type InputSource } from './inputs.ts';
export { flattenMetrics } from './metrics/flatten.ts';
export { metricsAtRef } from './metrics/git-baseline.ts';
export { type LoadOptions, loadMetrics, readMetricRun } from './metrics/load.ts';
export { mergeRuns } from './metrics/merge.ts';
export { type MetricFormat, metricFormatOf, parseMetricsText } from './metrics/parse.ts';
export type { HistoryPoint, Metric, MetricSet, MetricValue } from './metrics/types.ts';
export {
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from './stats/distributions.ts';
export { type SampleSummary, summarizeSamples } from './stats/samples.ts';
export { oneSampleTTest, type TTestResult, welchTTest } from './stats/ttest.ts';
export { unreachableFailure } from './unreachable.ts';
export { isUserError, UserError } from './user-error.ts';
