export { type AliasEntry, type AliasState, rollbackTarget } from './alias.ts';
export { type FetchFlowInputs, type FetchFlowResult, runFetchFlow } from './fetch-flow.ts';
export type { FlowDeps } from './flow-deps.ts';
export { MANIFEST_ASSET, type ReleaseClient } from './github-release.ts';
export type { FileInput } from './local-files.ts';
export type { DataFingerprint, FileEntry, Manifest, Provenance } from './manifest.ts';
export { manifestLocation } from './manifest-location.ts';
export {
  MAX_TABLE_ROWS,
  type ManifestMarkdownOptions,
  manifestMarkdown,
  metricCell,
} from './manifest-markdown.ts';
export type { RecordedMetric, RecordedMetrics } from './metadata.ts';
export { normalizeVersion, validateAlias, validateFilePath, validateName } from './names.ts';
export {
  createS3Client,
  type GitHubReleaseOptions,
  type OpenStoreOptions,
  openStore,
  type S3Options,
} from './open-store.ts';
export {
  formatBytes,
  formatProgress,
  type Progress,
  type ProgressCallback,
} from './progress.ts';
export { provenanceFromEnv } from './provenance.ts';
export {
  expandFiles,
  type PublishFlowDeps,
  type PublishFlowInputs,
  type PublishFlowResult,
  runPublishFlow,
} from './publish-flow.ts';
export { s3DataReader } from './s3-data.ts';
export {
  ArtifactStore,
  type FetchOptions,
  type FetchResult,
  type PromoteOptions,
  type PublishOptions,
  type PublishResult,
  type RollbackOptions,
  type VersionRef,
} from './store.ts';
export { openStoreWithAccess, type StoreAccess } from './store-access.ts';
export { parseStoreUri, type StoreLocation } from './uri.ts';
export {
  isVersionLike,
  storeBaseline,
  type VersionMetrics,
  versionRef,
} from './version-ref.ts';
export { type Bump, latestVersion, nextVersion, sortVersions } from './versioning.ts';
