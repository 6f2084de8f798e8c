import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { globFiles, UserError } from '@mlactions/core';
import { buildReport, type ReportRequest } from './build-report.ts';
import {
  type Delivery,
  deliverReport,
  type ReportEvent,
  type ReportPoster,
  type WithoutPullRequest,
} from './delivery.ts';

export interface ReportFlowInputs extends ReportRequest {
  key: string;
  withoutPullRequest: WithoutPullRequest;
  outputDir: string;
  /** The workflow_run reporter's pull-request.json, from an untrusted fork run's artifact. */
  pullRequestFile?: string;
  /** The run that triggered the workflow_run reporter, as GitHub's payload describes it. */
  triggeringRun?: TriggeringRun;
  /** The job's images (globs under `cwd`), shown in the comment from the assets branch; none: off. */
  imageFiles?: readonly string[];
}

/** What GitHub says of the run a workflow_run reporter follows: the commit, repository and branch it built. */
export interface TriggeringRun {
  headSha: string;
  /** owner/repo of the head (a fork's, for a fork's pull request). */
  headRepository: string;
  headBranch: string;
}

export interface ReportFlowResult {
  reportPath: string;
  markdownPath: string;
  improved: number;
  regressed: number;
  delivery: Delivery;
  noBaseline: string | undefined;
  /** Set on a fork pull request: the folder the workflow_run reporter needs, to upload as an artifact. */
  artifactDir?: string;
}

/** The pull request number in a fork run's pull-request.json: a positive integer, or one clear error. */
async function readPullRequestNumber(file: string): Promise<number> {
  let parsed: { number?: unknown } | null;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON';
    throw new UserError(`${file}: ${why}. Give the pull-request.json of the fork run's report artifact.`);
  }
  const number = parsed?.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
    throw new UserError(`${file}: "number" must be a pull request number.`);
  }
  return number;
}

/** Where a pull request's head is now: its repository (undefined once deleted), branch and commit. */
export interface PullRequestHead {
  repository: string | undefined;
  branch: string;
  sha: string;
}

/** The GitHub side, passed in by the front (functions bound to its client and repository). */
export interface ReportFlowDeps extends ReportPoster {
  event: ReportEvent;
  writeSummary: (markdown: string) => Promise<void>;
  /** A pull request's current head; undefined when the repository has no such pull request. */
  pullRequestHead: (number: number) => Promise<PullRequestHead | undefined>;
  /**
   * Checks the images (limits, formats) before anything is written, then puts them where readers of
   * the repository see them (the assets branch), returning their links.
   */
  pushImages?: {
    check: (files: readonly { name: string; bytes: Uint8Array }[]) => void;
    push: (
      pullRequest: number,
      files: readonly { name: string; bytes: Uint8Array }[],
    ) => Promise<{ name: string; url: string }[]>;
  };
}

/**
 * The pull request named by a fork run's artifact. The file is untrusted: its number must be a
 * positive integer, and the pull request's current head must be the commit, repository and branch
 * whose run made it (a sha alone could be pushed to another fork's branch).
 */
async function verifiedPullRequest(deps: ReportFlowDeps, file: string, run: TriggeringRun | undefined) {
  if (!run) throw new UserError('`pull-request-file` is only for workflows triggered by `workflow_run`.');
  const number = await readPullRequestNumber(file);
  const current = await deps.pullRequestHead(number);
  const { owner, repo } = deps.event;
  if (current === undefined) {
    throw new UserError(
      `${file} names pull request #${number}, which ${owner}/${repo} does not have; nothing was posted.`,
    );
  }
  const head = `${current.repository ?? '(a deleted repository)'} ${current.branch} at ${current.sha}`;
  const built = `${run.headRepository} ${run.headBranch} at ${run.headSha}`;
  if (head !== built) {
    throw new UserError(
      `${file} names pull request #${number}, whose head is ${head}, not ${built} that the triggering run built; nothing was posted.`,
    );
  }
  return { number, headSha: run.headSha, fromFork: false };
}

/** The heading of a report whose numbers a fork's run wrote: they are the fork's word, not re-run here. */
function forkReportTitle(title: string | undefined, run: TriggeringRun): string {
  return `${title ?? 'Metrics report'}: numbers as reported by the run of ${run.headRepository} (branch ${run.headBranch}), not re-run here`;
}

/**
 * The job's images on the assets branch, for a pull request of this repository; a fork's token is
 * read-only and a push has no pull request, so their images stay out of the report.
 */
async function pushedImages(inputs: ReportFlowInputs, deps: ReportFlowDeps, event: ReportEvent) {
  if (!inputs.imageFiles?.length || !deps.pushImages) return [];
  const paths = await globFiles(inputs.imageFiles, inputs.cwd);
  if (paths.length === 0)
    throw new UserError(`\`images\` (${inputs.imageFiles.join(', ')}) matches no file. Check the paths.`);
  const files = await Promise.all(
    paths.map(async (path) => ({ name: basename(path), bytes: await readFile(path) })),
  );
  deps.pushImages.check(files);
  const { pullRequest } = event;
  if (!pullRequest || pullRequest.fromFork) return [];
  return deps.pushImages.push(pullRequest.number, files);
}

/** The report action: compare, write the files, post the comment (or say why not). */
export async function runReportFlow(
  inputs: ReportFlowInputs,
  deps: ReportFlowDeps,
): Promise<ReportFlowResult> {
  let event = deps.event;
  let title = inputs.title;
  if (inputs.pullRequestFile) {
    const pullRequest = await verifiedPullRequest(deps, inputs.pullRequestFile, inputs.triggeringRun);
    event = { ...event, pullRequest };
    title = forkReportTitle(inputs.title, inputs.triggeringRun!);
  }
  const images = await pushedImages(inputs, deps, event);
  const built = await buildReport({
    ...inputs,
    ...(title ? { title } : {}),
    fullReportUrl: event.runUrl,
    images,
  });
  // The summary first: it is the report of record even when posting the comment fails.
  await deps.writeSummary(built.summary);
  await mkdir(inputs.outputDir, { recursive: true });
  const reportPath = join(inputs.outputDir, 'report.json');
  const markdownPath = join(inputs.outputDir, 'report.md');
  await writeFile(reportPath, `${JSON.stringify(built.json, null, 2)}\n`);
  await writeFile(markdownPath, built.summary);

  let artifactDir: string | undefined;
  if (event.pullRequest?.fromFork) {
    // What the workflow_run reporter re-reads: the raw metrics (re-parsed and escaped there, never
    // trusted as markdown) and which pull request they belong to.
    artifactDir = join(inputs.outputDir, 'artifact');
    await mkdir(join(artifactDir, 'head'), { recursive: true });
    // head/<run>/ holds what the run's path held, so file keys match the base repository's own.
    for (const [i, path] of inputs.head.entries()) {
      const source = resolve(inputs.cwd, path);
      const isFolder = (await stat(source)).isDirectory();
      await cp(source, join(artifactDir, 'head', String(i), isFolder ? '' : basename(path)), {
        recursive: true,
      });
    }
    const { number, headSha } = event.pullRequest;
    await writeFile(join(artifactDir, 'pull-request.json'), `${JSON.stringify({ number, headSha })}\n`);
  }

  const delivery = await deliverReport(deps, event, built.comment, inputs);
  const count = (status: string) => built.json.metrics.filter((m) => m.status === status).length;
  return {
    reportPath,
    markdownPath,
    improved: count('improved'),
    regressed: count('regressed'),
    delivery,
    noBaseline: built.noBaseline,
    ...(artifactDir ? { artifactDir } : {}),
  };
}
