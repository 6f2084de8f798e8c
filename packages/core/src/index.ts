// Metric files, comparison and its rules (direction, tolerances), statistics, and the rules every verb shares (a user command's environment, globs, the seeded generator).
export { commandEnv } from './command-env.ts';
export { compareMetrics, type MetricComparison, type MetricsReport } from './compare/compare.ts';
export { defaultDirection } from './compare/direction.ts';
export { type ReportJson, reportToJson } from './compare/json.ts';
export { parseMetricRules } from './compare/rules.ts';
export { type Curve, MAX_CURVE_POINTS, readCurves } from './curves/read.ts';
export { type CurvePoint, thinCurve } from './curves/thin.ts';
export { globFiles, globMatcher, isGlobPattern } from './glob.ts';
export { metricsAtRef } from './metrics/git-baseline.ts';
export { loadMetrics, readMetricRun } from './metrics/load.ts';
export { mergeRuns } from './metrics/merge.ts';
export type { HistoryPoint, Metric, MetricSet } from './metrics/types.ts';
export {
  diffParams,
  flattenParams,
  type ParamChange,
  readParamsFile,
} from './params/params.ts';
export { mulberry32, seededRandom } from './random.ts';
export { choiceSetting, nonNegativeSetting, requiredSetting } from './settings.ts';
export { chiSquareSf, logGamma, normalSf } from './stats/distributions.ts';
export { quantile, quantileOfSorted } from './stats/quantile.ts';
export type { SampleSummary } from './stats/samples.ts';
export { unreachableFailure } from './unreachable.ts';
export { explainingErrors, isUserError, UserError } from './user-error.ts';
export { answerRequests, WorkerSet, workerSet } from './worker-set.ts';
