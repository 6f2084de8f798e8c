import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import { buildReport, type ReportRequest } from '@mlactions/render';
import type { EventInfo } from './action-io.ts';
import type { GitHubClient } from './client.ts';
import { type Delivery, deliverReport, type WithoutPullRequest } from './report-delivery.ts';

export interface ReportFlowInputs extends ReportRequest {
  key: string;
  withoutPullRequest: WithoutPullRequest;
  outputDir: string;
  /** The workflow_run reporter's pull-request.json, from an untrusted fork run's artifact. */
  pullRequestFile?: string;
  /** The run that triggered the workflow_run reporter, as GitHub's payload describes it. */
  triggeringRun?: TriggeringRun;
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

/**
 * The pull request named by a fork run's artifact. The file is untrusted: its number must be a
 * positive integer, and the pull request's current head must be the commit, repository and branch
 * whose run made it (a sha alone could be pushed to another fork's branch).
 */
async function verifiedPullRequest(
  client: GitHubClient,
  event: EventInfo,
  file: string,
  run: TriggeringRun | undefined,
) {
  if (!run) throw new UserError('`pull-request-file` is only for workflows triggered by `workflow_run`.');
  const number = await readPullRequestNumber(file);
  const { data } = await client.rest.pulls
    .get({ owner: event.owner, repo: event.repo, pull_number: number })
    .catch((error: { status?: number }) => {
      if (error.status !== 404) throw error;
      throw new UserError(
        `${file} names pull request #${number}, which ${event.owner}/${event.repo} does not have; nothing was posted.`,
      );
    });
  const head = `${data.head.repo?.full_name ?? '(a deleted repository)'} ${data.head.ref} at ${data.head.sha}`;
  const built = `${run.headRepository} ${run.headBranch} at ${run.headSha}`;
  if (head !== built) {
    throw new UserError(
      `${file} names pull request #${number}, whose head is ${head}, not ${built} that the triggering run built; nothing was posted.`,
    );
  }
  return { number, headSha: run.headSha, baseSha: data.base.sha, fromFork: false };
}

/** The heading of a report whose numbers a fork's run wrote: they are the fork's word, not re-run here. */
function forkReportTitle(title: string | undefined, run: TriggeringRun): string {
  return `${title ?? 'Metrics report'}: numbers as reported by the run of ${run.headRepository} (branch ${run.headBranch}), not re-run here`;
}

/** The report action: compare, write the files, post the comment (or say why not). */
export async function runReportFlow(
  inputs: ReportFlowInputs,
  deps: { client: GitHubClient; event: EventInfo; writeSummary: (markdown: string) => Promise<void> },
): Promise<ReportFlowResult> {
  let event = deps.event;
  let title = inputs.title;
  if (inputs.pullRequestFile) {
    const pullRequest = await verifiedPullRequest(
      deps.client,
      event,
      inputs.pullRequestFile,
      inputs.triggeringRun,
    );
    event = { ...event, pullRequest };
    title = forkReportTitle(inputs.title, inputs.triggeringRun!);
  }
  const built = await buildReport({ ...inputs, ...(title ? { title } : {}), fullReportUrl: event.runUrl });
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

  const delivery = await deliverReport(deps.client, event, built.comment, inputs);
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
