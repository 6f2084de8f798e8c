/**
 * The demo's images, as the report action handles a pull request's: the candidate's confusion matrix
 * on the held-out rows, drawn as a PNG, written by the assets-branch rules to the action's default
 * branch of a git repository the demo makes (a local one, with the `git` command, where the action
 * uses GitHub's git data API), then read back from the branch's commit for the report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { confusionMatrixPng, type ReportImage } from '@mlactions/render';
import {
  DEFAULT_ASSET_LIMITS,
  DEFAULT_ASSETS_BRANCH,
  DEFAULT_ASSETS_KEEP,
  GitNotFoundError,
  initBareRepository,
  localGitObjects,
  pushAssets,
} from '@mlactions/report';

/** The pull request the demo's images are filed under, as if the candidate came in one. */
export const DEMO_PULL_REQUEST = 1;

/** The picture's file name, as a job would write it. */
export const CONFUSION_MATRIX_FILE = 'confusion-matrix.png';

/** What the step did: the images and their bytes read back, or why it was skipped. */
export type DemoImages =
  | {
      /** The images as the report links them: files beside the report, read back from the branch. */
      images: ReportImage[];
      /** The bytes of each image, by its link, for the HTML page. */
      bytes: Map<string, Uint8Array>;
      repository: string;
      branch: string;
      commit: string;
      paths: string[];
    }
  | { skipped: string };

/**
 * Draws the confusion matrix into `curves` (beside the curves the gate writes), pushes it to the
 * assets branch of `<dir>/assets.git`, and extracts each image of the branch's new commit to
 * `<dir>/images/<path>`, the link the report uses. Without `git` the step is skipped, and says why.
 */
export async function publishDemoImages(
  dir: string,
  curves: string,
  confusionMatrix: readonly (readonly number[])[],
): Promise<DemoImages> {
  const picture = confusionMatrixPng(confusionMatrix);
  await writeFile(join(curves, CONFUSION_MATRIX_FILE), picture);
  const files = [{ name: CONFUSION_MATRIX_FILE, bytes: picture }];
  const branch = DEFAULT_ASSETS_BRANCH;
  let repository: string;
  try {
    repository = await initBareRepository(join(dir, 'assets.git'), branch);
  } catch (error) {
    if (error instanceof GitNotFoundError) return { skipped: error.message };
    throw error;
  }
  const git = localGitObjects(repository);
  const pushed = await pushAssets(
    git,
    {
      branch,
      pullRequest: DEMO_PULL_REQUEST,
      keep: DEFAULT_ASSETS_KEEP,
      limits: DEFAULT_ASSET_LIMITS,
      link: (_commit, path) => `images/${path}`,
    },
    files,
  );
  const bytes = new Map<string, Uint8Array>();
  for (const image of pushed.images) {
    const read = await git.readFile(pushed.commit, image.path);
    const file = join(dir, image.url);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, read);
    bytes.set(image.url, read);
  }
  return {
    images: pushed.images.map(({ name, url }) => ({ name, url })),
    bytes,
    repository,
    branch,
    commit: pushed.commit,
    paths: pushed.images.map((image) => image.path),
  };
}
