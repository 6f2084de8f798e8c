// Drift: column profiles (read through @mlactions/data), the drift tests and decision, the drift report and flow.
export { checkDriftFiles, type DriftFilesRequest, type DriftFilesResult } from './check-files.ts';
export {
  type ChartData,
  type ColumnDriftOptions,
  type ColumnSummary,
  compareProfiles,
  type DriftOptions,
  type DriftReport,
  type FeatureDrift,
  type FeatureState,
} from './compare.ts';
export { checkDrift, type DriftCheck, type DriftCheckResult } from './drift.ts';
export {
  type DriftFlowDeps,
  type DriftFlowInputs,
  type DriftFlowResult,
  type RetrainDispatch,
  retrainReason,
  runDriftFlow,
} from './drift-flow.ts';
export { renderDriftReport } from './drift-report.ts';
export {
  appendCheck,
  type CheckRecord,
  checkRecord,
  DEFAULT_HISTORY_CHECKS,
  historyBlock,
  historyChecksFrom,
  readHistory,
  renderHistorySection,
} from './history.ts';
export { type KllJson, KllSketch } from './kll.ts';
export { mergeProfiles, parseProfile } from './merge.ts';
export {
  type BooleanColumnProfile,
  type CategoricalColumnProfile,
  type ColumnProfile,
  type CountsColumnProfile,
  type DatasetProfile,
  DEFAULT_SETTINGS,
  type NumericBins,
  type NumericColumnProfile,
  PROFILE_FORMAT,
  PROFILE_VERSION,
  type ProfileSettings,
} from './profile.ts';
export {
  displayPath,
  isProfileFile,
  mergeProfileFiles,
  profileFiles,
  readProfileFile,
  writeProfileFile,
} from './profile-files.ts';
export { type ColumnOptions, type ProfileOptions, Profiler, profileSources } from './profiler.ts';
export {
  checkQuality,
  parseQualityRule,
  type QualityOutcome,
  type QualityResult,
  type QualityRule,
  qualityRulesFrom,
  renderQuality,
} from './quality.ts';
export type { WeightedSample } from './sample.ts';
export {
  type ColumnSettingsText,
  columnOptionsFrom,
  type DriftSettingsText,
  driftOptionsFrom,
  parseColumnOverride,
  readOptionsFrom,
} from './settings.ts';
export { chiSquareHomogeneity } from './stats/chisquare.ts';
export type { Correction } from './stats/correction.ts';
export { jensenShannonDistance, PSI_EMPTY_BIN_SHARE, populationStabilityIndex } from './stats/divergence.ts';
export { type KsResult, ksTwoSample } from './stats/ks.ts';
export { wassersteinDistance } from './stats/wasserstein.ts';
export { twoProportionZTest } from './stats/ztest.ts';
export {
  type Approximation,
  DEFAULT_THRESHOLD,
  OTHER_CATEGORY,
  parseStatTest,
  STAT_TESTS,
  type StatTestKind,
  type StatTestName,
  TEST_KIND,
} from './stattests.ts';
export {
  fetchStoreReference,
  type StoreReference,
  type StoreReferenceRequest,
  type VersionFetcher,
} from './store-reference.ts';
