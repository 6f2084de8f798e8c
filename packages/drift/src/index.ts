// Drift: column profiles (read through @mlactions/data), the drift tests and decision, the drift report and flow.
export { checkDriftFiles } from './check-files.ts';
export type { DriftReport } from './compare.ts';
export { checkDrift } from './drift.ts';
export { type RetrainDispatch, runDriftFlow } from './drift-flow.ts';
export { renderDriftReport } from './drift-report.ts';
export { historyChecksFrom } from './history.ts';
export type { DatasetProfile } from './profile.ts';
export { mergeProfileFiles, profileFiles, writeProfileFile } from './profile-files.ts';
export { profileSources } from './profiler.ts';
export { checkQuality, qualityRulesFrom, renderQuality } from './quality.ts';
export { driftRequestFrom, type ProfileSettingsText, profileOptionsFrom } from './settings.ts';
