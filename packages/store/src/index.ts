// The artifact store: versions with manifests, sha256, aliases and a lifecycle, in a folder, S3 or GitHub Releases; the publish, fetch and clean-up flows, and the request builders of publish, fetch, promote and the lifecycle verbs.
export { gcLines, retentionLines, runCleanupFlow } from './cleanup-flow.ts';
export { runFetchFlow } from './fetch-flow.ts';
export { fetchRequestFrom } from './fetch-settings.ts';
export { deprecationNotice } from './lifecycle.ts';
export { cleanupRequestFrom, deprecateRequestFrom, versionTargetFrom } from './lifecycle-settings.ts';
export type { Manifest, Provenance } from './manifest.ts';
export { manifestMarkdown } from './manifest-markdown.ts';
export type { RecordedMetric } from './metadata.ts';
export { normalizeVersion, validateFilePath } from './names.ts';
export { createS3Client, openStore, type S3Options } from './open-store.ts';
export { promoteRequestFrom } from './promote-settings.ts';
export {
  PROMOTION_EVENT,
  type Promotion,
  promotedVersion,
  promotionEvent,
  promotionOf,
} from './promotion.ts';
export { provenanceFromEnv } from './provenance.ts';
export { runPublishFlow } from './publish-flow.ts';
export { publishRequestFrom } from './publish-settings.ts';
export { s3DataReader } from './s3-data.ts';
export { ArtifactStore } from './store.ts';
export { openStoreWithAccess } from './store-access.ts';
export { parseStoreUri } from './uri.ts';
export { isVersionLike, storeBaseline, versionRef } from './version-ref.ts';
