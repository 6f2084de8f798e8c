import { join } from 'node:path';
import { MANIFEST_ASSET, versionTag } from './github-release.ts';
import { manifestKey } from './object-backend.ts';
import { parseStoreUri } from './uri.ts';

/**
 * Where a version's manifest lives, for people and later steps: a path for a folder store, an
 * `s3://` URI for S3, the asset's download URL for GitHub releases (`serverUrl` is the GitHub site,
 * https://github.com unless a GitHub Enterprise server is given).
 */
export function manifestLocation(
  uri: string,
  name: string,
  version: string,
  options: { cwd: string; serverUrl?: string },
): string {
  const location = parseStoreUri(uri, options.cwd);
  switch (location.kind) {
    case 'file':
      return join(location.dir, ...manifestKey(name, version).split('/'));
    case 's3':
      return `s3://${location.bucket}/${location.prefix}${manifestKey(name, version)}`;
    case 'github-release': {
      const server = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
      const tag = encodeURIComponent(versionTag(name, version));
      return `${server}/${location.owner}/${location.repo}/releases/download/${tag}/${MANIFEST_ASSET}`;
    }
  }
}
