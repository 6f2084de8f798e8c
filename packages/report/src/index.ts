// The report verb: compare a candidate's metrics with a baseline, and deliver the report (and the job's images, on an assets branch) where its readers look.
export {
  type AssetFile,
  type AssetLimits,
  type AssetsTarget,
  assetName,
  checkAssets,
  DEFAULT_ASSET_LIMITS,
  DEFAULT_ASSETS_BRANCH,
  DEFAULT_ASSETS_KEEP,
  type GitObjects,
  pushAssets,
  type TreeFile,
} from './assets-branch.ts';
export { buildReport } from './build-report.ts';
export type { WithoutPullRequest } from './delivery.ts';
export {
  GitNotFoundError,
  initBareRepository,
  type LocalGitObjects,
  localGitObjects,
} from './local-git.ts';
export { runReportFlow, type TriggeringRun } from './report-flow.ts';
export { reportRequestFrom } from './report-settings.ts';
