import { UserError } from '@mlactions/core';
import type { ReleaseClient } from './github-release.ts';
import { type OpenStoreOptions, openStore } from './open-store.ts';
import type { ArtifactStore } from './store.ts';
import { parseStoreUri } from './uri.ts';

/** How a front (an action, the CLI) reaches a store, as its user configured it. */
export interface StoreAccess {
  /** An S3-compatible server for s3:// stores (MinIO, R2, a local one); path-style addressing. */
  endpoint?: string;
  /** A GitHub token; only github-release:// stores use it. */
  token?: string;
  /** Makes the GitHub client from the token; the fronts pass createClient from @mlactions/github. */
  githubClient: (token: string) => ReleaseClient;
  /** Where a token is given, for the error when a github-release:// store has none ("pass --token …"). */
  tokenSources: string;
}

/**
 * Opens a store with the settings its scheme needs: the endpoint for S3, a client built from the
 * token for GitHub releases. The client is made only for github-release:// stores, so a folder or
 * S3 store never needs a token.
 */
export function openStoreWithAccess(
  uri: string,
  access: StoreAccess,
  options: Omit<OpenStoreOptions, 's3' | 'github'> = {},
): ArtifactStore {
  const location = parseStoreUri(uri, options.cwd ?? process.cwd());
  if (location.kind === 'github-release') {
    if (!access.token) {
      throw new UserError(
        `The store ${uri} needs a GitHub token with contents access: ${access.tokenSources}.`,
      );
    }
    return openStore(uri, { ...options, github: { client: access.githubClient(access.token) } });
  }
  if (location.kind === 's3' && access.endpoint) {
    return openStore(uri, { ...options, s3: { endpoint: access.endpoint, forcePathStyle: true } });
  }
  return openStore(uri, options);
}
