export { type AliasPlan, applyAlias, planAlias, restoreAlias } from './alias-target.ts';
export {
  type DeployDeps,
  type DeployInputs,
  type DeployOutcome,
  type DeployResult,
  runDeployFlow,
} from './deploy-flow.ts';
export { type DeployPlace, deployRequest } from './deploy-request.ts';
export { type CommandResult, type CommandRunner, commandEnv, describeEnd, runBash } from './run-command.ts';
export {
  LOCATION_MANIFEST,
  mirror,
  openServingLocation,
  type PlacedFile,
  type ServingLocation,
  snapshot,
} from './serving-location.ts';
export { deploySummary, type SummaryFacts } from './summary.ts';
export { describeSource, parseVersionSource, resolveManifest, type VersionSource } from './version-source.ts';
