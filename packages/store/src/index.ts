// The artifact store: versions with manifests, sha256 and aliases, in a folder, S3 or GitHub Releases; the publish and fetch flows, and the request builders of publish, fetch and promote.
export { runFetchFlow } from './fetch-flow.ts';
export { fetchRequestFrom } from './fetch-settings.ts';
export type { Manifest, Provenance } from './manifest.ts';
export { manifestMarkdown } from './manifest-markdown.ts';
export type { RecordedMetric } from './metadata.ts';
export { normalizeVersion, validateFilePath } from './names.ts';
export { createS3Client, openStore, type S3Options } from './open-store.ts';
export { promoteRequestFrom } from './promote-settings.ts';
export { provenanceFromEnv } from './provenance.ts';
export { runPublishFlow } from './publish-flow.ts';
export { publishRequestFrom } from './publish-settings.ts';
export { s3DataReader } from './s3-data.ts';
export { ArtifactStore } from './store.ts';
export { openStoreWithAccess } from './store-access.ts';
export { parseStoreUri } from './uri.ts';
export { isVersionLike, storeBaseline, versionRef } from './version-ref.ts';
