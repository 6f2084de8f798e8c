/**
 * The job's images on an assets branch: one folder per pull request (`pr-<number>`), the oldest
 * folders pruned from the branch's tree, sizes and formats refused before anything is written, and
 * each image linked by commit, so a link keeps working after its folder is pruned (the commit stays
 * in the branch's history). The git objects are written through a narrow port: GitHub's git data API
 * for the action (@mlactions/github), the `git` command for a local repository (local-git.ts).
 */
import { UserError } from '@mlactions/core';

export interface AssetFile {
  /** The file's name as the job wrote it: untrusted, made safe for a path by assetName. */
  name: string;
  bytes: Uint8Array;
}

/** A file of a tree: its path (segments joined by `/`) and its blob's id. */
export interface TreeFile {
  path: string;
  sha: string;
}

/** The git object operations the assets branch needs, whatever holds the repository. */
export interface GitObjects {
  /** The branch's head commit and every file of its tree; undefined when the branch does not exist. */
  readBranch(branch: string): Promise<{ head: string; files: TreeFile[] } | undefined>;
  /** Stores the bytes as a blob; returns its id. */
  writeBlob(bytes: Uint8Array): Promise<string>;
  /** Stores a tree of these files (regular files, the folders their paths name); returns its id. */
  writeTree(files: readonly TreeFile[]): Promise<string>;
  /** Stores a commit; returns its id. */
  writeCommit(commit: { message: string; tree: string; parents: readonly string[] }): Promise<string>;
  /**
   * Moves the branch from `from` (undefined: makes it) to `to`; false, with nothing changed, when the
   * branch is no longer at `from` (another writer moved or made it meanwhile).
   */
  moveBranch(branch: string, to: string, from: string | undefined): Promise<boolean>;
}

export interface AssetsTarget {
  /** The branch that holds the images, made on first use (it shares no history with the code). */
  branch: string;
  /** The pull request whose folder (`pr-<number>`) the images go to, replacing what it held. */
  pullRequest: number;
  /** How many pull requests' folders to keep, this one included: the highest numbers stay. */
  keep: number;
  /** Where readers find a file of a commit (the transport's address for it). */
  link: (commit: string, path: string) => string;
  /** Checked before anything is written. */
  limits: AssetLimits;
}

/** Sizes refused before anything is written. */
export interface AssetLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/** The branch the report action writes to unless told otherwise. */
export const DEFAULT_ASSETS_BRANCH = 'mlactions-assets';

/** How many pull requests' folders the branch keeps unless told otherwise (the action's `images-keep`). */
export const DEFAULT_ASSETS_KEEP = 20;

/** The report action's limits: 5 MB an image (its `images-max-bytes`), 25 MB and 20 images in all. */
export const DEFAULT_ASSET_LIMITS: AssetLimits = {
  maxFileBytes: 5_000_000,
  maxTotalBytes: 25_000_000,
  maxFiles: 20,
};

/** The image formats GitHub shows inline; SVG is left out, since it can carry script. */
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/** The longest file name kept, in characters (file systems allow 255 bytes). */
const MAX_NAME = 100;

/**
 * A file name safe as one path segment: its last segment, letters, digits, `.`, `_` and `-` kept and
 * other characters `_`, no leading dot, at most 100 characters (the extension kept).
 */
export function assetName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  if (safe === '') return '_';
  if (safe.length <= MAX_NAME) return safe;
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(safe)?.[0] ?? '';
  return safe.slice(0, MAX_NAME - extension.length) + extension;
}

/** Refuses what the limits or the formats do not allow, and two files with one safe name, naming them. */
export function checkAssets(files: readonly AssetFile[], limits: AssetLimits): void {
  if (files.length > limits.maxFiles)
    throw new UserError(
      `${files.length} images given, more than the ${limits.maxFiles} allowed: give fewer.`,
    );
  let total = 0;
  const names = new Map<string, string>();
  for (const file of files) {
    if (!IMAGE.test(file.name))
      throw new UserError(
        `${file.name}: not an image GitHub shows inline. Give .png, .jpg, .gif or .webp files.`,
      );
    if (file.bytes.length > limits.maxFileBytes)
      throw new UserError(
        `${file.name}: ${file.bytes.length} bytes, over the ${limits.maxFileBytes} allowed per image. Make it smaller.`,
      );
    const safe = assetName(file.name);
    const other = names.get(safe);
    if (other !== undefined)
      throw new UserError(`${other} and ${file.name} would both be stored as ${safe}: rename one of them.`);
    names.set(safe, file.name);
    total += file.bytes.length;
  }
  if (total > limits.maxTotalBytes)
    throw new UserError(`The images hold ${total} bytes, over the ${limits.maxTotalBytes} allowed in all.`);
}

const FOLDER = /^pr-(\d+)$/;

/** The files of the branch's tree to keep: other pull requests' folders, the `keep - 1` newest. */
function keptFiles(files: readonly TreeFile[], target: AssetsTarget): TreeFile[] {
  const numbers = [
    ...new Set(files.flatMap(({ path }) => FOLDER.exec(path.split('/')[0]!)?.[1] ?? []).map(Number)),
  ]
    .filter((n) => n !== target.pullRequest)
    .sort((a, b) => b - a)
    .slice(0, Math.max(0, target.keep - 1));
  const kept = new Set(numbers.map((n) => `pr-${n}`));
  return files.filter(({ path }) => kept.has(path.split('/')[0]!));
}

/** One attempt: blobs, the tree, the commit, then the branch moved forward (or made); undefined if it moved. */
async function pushOnce(git: GitObjects, target: AssetsTarget, files: readonly AssetFile[]) {
  const folder = `pr-${target.pullRequest}`;
  const current = await git.readBranch(target.branch);
  const blobs = await Promise.all(
    files.map(async (file) => ({
      path: `${folder}/${assetName(file.name)}`,
      sha: await git.writeBlob(file.bytes),
    })),
  );
  const tree = await git.writeTree([...keptFiles(current?.files ?? [], target), ...blobs]);
  const commit = await git.writeCommit({
    message: `Images of pull request #${target.pullRequest}`,
    tree,
    parents: current ? [current.head] : [],
  });
  if (!(await git.moveBranch(target.branch, commit, current?.head))) return undefined;
  return { commit, paths: blobs.map((blob) => blob.path) };
}

/**
 * Writes the images to the pull request's folder on the assets branch and returns their links; images
 * the limits refuse leave the branch as it was (nothing is written). Another writer moving the branch meanwhile is met by trying
 * again from its new head, three times at most.
 */
export async function pushAssets(
  git: GitObjects,
  target: AssetsTarget,
  files: readonly AssetFile[],
): Promise<{ commit: string; images: { name: string; path: string; url: string }[] }> {
  if (!Number.isSafeInteger(target.pullRequest) || target.pullRequest < 1)
    throw new UserError(`Pull request ${target.pullRequest}: not a pull request number.`);
  checkAssets(files, target.limits);
  for (let tries = 1; tries <= 3; tries++) {
    const pushed = await pushOnce(git, target, files);
    if (pushed === undefined) continue;
    return {
      commit: pushed.commit,
      images: files.map((file, i) => ({
        name: file.name,
        path: pushed.paths[i]!,
        url: target.link(pushed.commit, pushed.paths[i]!),
      })),
    };
  }
  throw new UserError(
    `The branch ${target.branch} kept moving while the images were written (three tries); run the job again.`,
  );
}
