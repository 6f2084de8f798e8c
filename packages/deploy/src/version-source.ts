import { UserError } from '@mlactions/core';
import { type ArtifactStore, isVersionLike, type Manifest, normalizeVersion } from '@mlactions/store';

/** Which version to ship. */
export type VersionSource =
  | { kind: 'version'; version: string }
  | { kind: 'alias'; alias: string }
  /** The version published from a commit: its manifest's gitSha is the commit. */
  | { kind: 'commit'; sha: string };

/**
 * Reads the `version` a user gave: a semantic version names itself, any other text names an alias
 * (`staging`), and nothing means the version published from the commit being deployed.
 */
export function parseVersionSource(text: string | undefined, sha: string): VersionSource {
  const value = text?.trim() ?? '';
  if (value === '') return { kind: 'commit', sha };
  return isVersionLike(value) ? { kind: 'version', version: value } : { kind: 'alias', alias: value };
}

/** How a source reads in messages and the summary. */
export function describeSource(source: VersionSource): string {
  switch (source.kind) {
    case 'version':
      return `version ${source.version}`;
    case 'alias':
      return `alias ${source.alias}`;
    case 'commit':
      return `the version published from ${source.sha.slice(0, 12)}`;
  }
}

/**
 * The manifest of the version a source names. For a commit, the versions are read highest first and
 * the first whose manifest records that commit wins, so the usual case (the newest version) costs one
 * read.
 */
export async function resolveManifest(
  store: ArtifactStore,
  name: string,
  source: VersionSource,
): Promise<Manifest> {
  if (source.kind === 'version') return store.manifestOf(name, { version: source.version });
  if (source.kind === 'alias') return store.manifestOf(name, { alias: source.alias });
  const versions = await store.listVersions(name);
  for (const version of [...versions].reverse()) {
    const manifest = await store.show(name, version);
    if (manifest.gitSha?.toLowerCase() === source.sha.toLowerCase()) return manifest;
  }
  throw new UserError(
    `No version of ${name} in ${store.uri} was published from commit ${source.sha}: publish it from that commit ` +
      'first, or give `version` (a version such as 1.2.0, or an alias such as staging).',
  );
}

/**
 * The version a deployment's payload records, checked before it names a store version, a folder or a
 * command's environment: anyone who can write deployments to the repository writes payloads.
 */
export function payloadVersion(deployment: { id: number; version: string }, environment: string): string {
  try {
    return normalizeVersion(deployment.version);
  } catch {
    throw new UserError(
      `Deployment ${deployment.id} in ${environment} records version ${JSON.stringify(deployment.version.slice(0, 100))}, ` +
        'which is not a semantic version, so it cannot be the version to restore: mark that deployment inactive ' +
        '(a deployment status `inactive`), or deploy with `alias`, whose earlier version the store records.',
    );
  }
}
