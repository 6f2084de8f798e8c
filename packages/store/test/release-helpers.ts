import type { GitHubDouble } from '../../../test/harness/github-double/index.ts';
import type { ReleaseClient } from '../src/github-release.ts';

interface Release {
  id: number;
  upload_url: string;
  assets: { id: number; name: string }[];
}

/** Swaps one asset of a release for other bytes under the same name, through the API. */
export async function replaceAsset(
  client: ReleaseClient,
  tag: string,
  name: string,
  bytes: Buffer,
): Promise<void> {
  const repo = { owner: 'octo-org', repo: 'models' };
  const release = (await client.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { ...repo, tag }))
    .data as Release;
  const asset = release.assets.find((a) => a.name === name)!;
  await client.request('DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    ...repo,
    asset_id: asset.id,
  });
  await client.request(`POST ${release.upload_url}`, {
    name,
    data: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

/** Creates a release holding one asset and no manifest, as an interrupted publish leaves it. */
export async function leaveRelease(client: ReleaseClient, tag: string, name: string, bytes: Buffer) {
  const repo = { owner: 'octo-org', repo: 'models' };
  const release = (await client.request('POST /repos/{owner}/{repo}/releases', { ...repo, tag_name: tag }))
    .data as Release;
  await client.request(`POST ${release.upload_url}`, {
    name,
    data: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

/**
 * Acknowledges the refusals that arbitrate between concurrent writers — a second release for a tag,
 * a second asset of one name — which the double records as requests GitHub refuses; returns the
 * violations of any other kind (a test expects none).
 */
export function acceptArbitration(double: GitHubDouble) {
  return double
    .takeViolations()
    .filter(
      (v) =>
        !(
          v.kind === 'rejected' &&
          v.status === 422 &&
          /already_exists/.test(v.message) &&
          (v.operationId === 'repos/create-release' || v.operationId === 'repos/upload-release-asset')
        ),
    );
}
