/**
 * The job's images on an assets branch of the same repository, written through the git data API
 * (blobs, a tree, a commit, the branch ref) with no checkout: one folder per pull request, the oldest
 * folders pruned from the branch's tree. Images are linked by commit, so a link keeps working after
 * its folder is pruned (the commit stays in the branch's history).
 */
import { UserError } from '@mlactions/core';
import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

export interface AssetFile {
  /** The file's name as the job wrote it (made safe for a path here). */
  name: string;
  bytes: Uint8Array;
}

export interface AssetsTarget {
  owner: string;
  repo: string;
  /** The branch that holds the images, made on first use (it shares no history with the code). */
  branch: string;
  /** The pull request whose folder (`pr-<number>`) the images go to, replacing what it held. */
  pullRequest: number;
  /** How many pull requests' folders to keep, this one included: the highest numbers stay. */
  keep: number;
  /** The web address links start with (GITHUB_SERVER_URL: https://github.com, or a GHES host). */
  serverUrl: string;
}

/** Sizes refused before anything is written. */
export interface AssetLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/** The image formats GitHub shows inline; SVG is left out, since it can carry script. */
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/** A file name safe as one path segment: letters, digits, `.`, `_` and `-`, other characters `_`. */
export function assetName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? '_' : safe;
}

/** Refuses what the limits or the formats do not allow, naming the file and the fix. */
export function checkAssets(files: readonly AssetFile[], limits: AssetLimits): void {
  if (files.length > limits.maxFiles)
    throw new UserError(
      `${files.length} images given, more than the ${limits.maxFiles} allowed: give fewer.`,
    );
  let total = 0;
  for (const file of files) {
    if (!IMAGE.test(file.name))
      throw new UserError(
        `${file.name}: not an image GitHub shows inline. Give .png, .jpg, .gif or .webp files.`,
      );
    if (file.bytes.length > limits.maxFileBytes)
      throw new UserError(
        `${file.name}: ${file.bytes.length} bytes, over the ${limits.maxFileBytes} allowed per image. Make it smaller.`,
      );
    total += file.bytes.length;
  }
  if (total > limits.maxTotalBytes)
    throw new UserError(`The images hold ${total} bytes, over the ${limits.maxTotalBytes} allowed in all.`);
}

const FOLDER = /^pr-(\d+)$/;

/** The files of the branch's tree to keep: other pull requests' folders, the `keep - 1` newest. */
function keptEntries(paths: readonly { path: string; sha: string }[], target: AssetsTarget) {
  const numbers = [
    ...new Set(paths.flatMap(({ path }) => FOLDER.exec(path.split('/')[0]!)?.[1] ?? []).map(Number)),
  ]
    .filter((n) => n !== target.pullRequest)
    .sort((a, b) => b - a)
    .slice(0, Math.max(0, target.keep - 1));
  const kept = new Set(numbers.map((n) => `pr-${n}`));
  return paths.filter(({ path }) => kept.has(path.split('/')[0]!));
}

const isStatus = (error: unknown, status: number) => (error as { status?: number })?.status === status;

/** The branch's head commit and its files, or undefined when the branch does not exist yet. */
async function branchHead(client: GitHubClient, target: AssetsTarget) {
  const { owner, repo } = target;
  let head: string;
  try {
    head = (await client.rest.git.getRef({ owner, repo, ref: `heads/${target.branch}` })).data.object.sha;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
  const commit = await client.rest.git.getCommit({ owner, repo, commit_sha: head });
  const tree = await client.rest.git.getTree({
    owner,
    repo,
    tree_sha: commit.data.tree.sha,
    recursive: 'true',
  });
  if (tree.data.truncated)
    throw new UserError(
      `The branch ${target.branch} holds too many files to list; lower \`images-keep\` or delete it.`,
    );
  const files = tree.data.tree.flatMap((e) =>
    e.type === 'blob' && e.path !== undefined && e.sha !== undefined ? [{ path: e.path, sha: e.sha }] : [],
  );
  return { head, files };
}

/** One attempt: blobs, the tree, the commit, then the ref moved forward (or made). */
async function pushOnce(client: GitHubClient, target: AssetsTarget, files: readonly AssetFile[]) {
  const { owner, repo } = target;
  const folder = `pr-${target.pullRequest}`;
  const current = await branchHead(client, target);
  const blobs = await Promise.all(
    files.map(async (file) => ({
      path: `${folder}/${assetName(file.name)}`,
      sha: (
        await client.rest.git.createBlob({
          owner,
          repo,
          content: Buffer.from(file.bytes).toString('base64'),
          encoding: 'base64',
        })
      ).data.sha,
    })),
  );
  const entries = [...keptEntries(current?.files ?? [], target), ...blobs].map(({ path, sha }) => ({
    path,
    sha,
    mode: '100644' as const,
    type: 'blob' as const,
  }));
  const tree = await client.rest.git.createTree({ owner, repo, tree: entries });
  const commit = await client.rest.git.createCommit({
    owner,
    repo,
    message: `Images of pull request #${target.pullRequest}`,
    tree: tree.data.sha,
    parents: current ? [current.head] : [],
  });
  const sha = commit.data.sha;
  if (current)
    await client.rest.git.updateRef({ owner, repo, ref: `heads/${target.branch}`, sha, force: false });
  else await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${target.branch}`, sha });
  return { sha, paths: blobs.map((b) => b.path) };
}

/**
 * Writes the images to the pull request's folder on the assets branch and returns their links:
 * `<server>/<owner>/<repo>/blob/<commit>/<path>?raw=true`, which GitHub serves to whoever can read the
 * repository (in a private repository, through a short-lived token it adds for a signed-in reader).
 * Another job moving the branch meanwhile is met by trying again from its new head.
 */
export async function pushAssets(
  client: GitHubClient,
  target: AssetsTarget,
  files: readonly AssetFile[],
): Promise<{ commit: string; images: { name: string; url: string }[] }> {
  const attempt = () =>
    withPermission(`write images to the branch ${target.branch}`, 'contents: write', () =>
      pushOnce(client, target, files),
    );
  let pushed: Awaited<ReturnType<typeof pushOnce>> | undefined;
  for (let tries = 1; pushed === undefined; tries++) {
    try {
      pushed = await attempt();
    } catch (error) {
      if (!isStatus(error, 422) || tries >= 3) throw error;
    }
  }
  const base = `${target.serverUrl.replace(/\/$/, '')}/${target.owner}/${target.repo}/blob/${pushed.sha}`;
  return {
    commit: pushed.sha,
    images: files.map((file, i) => ({ name: file.name, url: `${base}/${pushed.paths[i]}?raw=true` })),
  };
}
