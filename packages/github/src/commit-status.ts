import { truncateText } from '@mlactions/render';
import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

export type StatusState = 'success' | 'failure' | 'error' | 'pending';

/**
 * A description as GitHub takes it for a commit status, a deployment or a deployment status: at most
 * 140 characters (it cuts or refuses a longer one), so we cut it ourselves, visibly.
 */
export function statusDescription(text: string): string {
  return truncateText(text, 140);
}
/** A check run's summary and text are each limited to 65,535 characters. */
const CHECK_TEXT_LIMIT = 65_535;

/** Posts a commit status: the thing branch protection or a ruleset requires, by its context. */
export async function postCommitStatus(
  client: GitHubClient,
  status: {
    owner: string;
    repo: string;
    sha: string;
    state: StatusState;
    context: string;
    description: string;
    targetUrl?: string;
  },
): Promise<void> {
  await withPermission('post a commit status', 'statuses: write', () =>
    client.rest.repos.createCommitStatus({
      owner: status.owner,
      repo: status.repo,
      sha: status.sha,
      state: status.state,
      context: status.context,
      description: statusDescription(status.description),
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    }),
  );
}

export interface CheckRunResult {
  posted: boolean;
  url?: string;
  /** Why no check run was posted, for a warning (e.g. a token that may not create check runs). */
  reason?: string;
}

/**
 * Posts a completed check run with details. Only GitHub App tokens (GITHUB_TOKEN included) may
 * create check runs, so a refusal is reported back rather than thrown: the status is what gates.
 */
export async function postCheckRun(
  client: GitHubClient,
  run: {
    owner: string;
    repo: string;
    headSha: string;
    name: string;
    conclusion: 'success' | 'failure' | 'neutral';
    title: string;
    summary: string;
    text?: string;
    detailsUrl?: string;
  },
): Promise<CheckRunResult> {
  try {
    const { data } = await client.rest.checks.create({
      owner: run.owner,
      repo: run.repo,
      head_sha: run.headSha,
      name: run.name,
      status: 'completed',
      conclusion: run.conclusion,
      ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
      output: {
        title: truncateText(run.title, 1000),
        summary: truncateText(run.summary, CHECK_TEXT_LIMIT),
        ...(run.text ? { text: truncateText(run.text, CHECK_TEXT_LIMIT) } : {}),
      },
    });
    return { posted: true, url: data.html_url ?? undefined };
  } catch (error) {
    // Any 403 here is a token that may not create check runs (a PAT, or no `checks: write`).
    if ((error as { status?: number }).status === 403) {
      return {
        posted: false,
        reason:
          'the token may not create check runs (add `checks: write`, or use the job token rather than a PAT)',
      };
    }
    throw error;
  }
}
