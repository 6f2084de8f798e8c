/** What to do with a report when the event has no pull request (a push, a schedule). */
export type WithoutPullRequest = 'summary' | 'commit-comment';

export interface Delivery {
  where: 'pull-request' | 'commit' | 'summary';
  url?: string;
  /** created, updated or unchanged, for the sticky PR comment. */
  action?: string;
  /** Why the report went to the summary alone. */
  reason?: string;
}

/** The event a report is delivered for: the pull request it comments on, else the commit. */
export interface ReportEvent {
  eventName: string;
  owner: string;
  repo: string;
  sha: string;
  runUrl: string;
  pullRequest: { number: number; headSha: string; fromFork: boolean } | undefined;
}

/** Where a report can be posted (the GitHub adapter's calls, bound to the client and repository). */
export interface ReportPoster {
  /** Creates or updates the one comment for `key` on the pull request. */
  stickyComment: (pullRequest: number, key: string, body: string) => Promise<{ url: string; action: string }>;
  commitComment: (sha: string, body: string) => Promise<{ url: string }>;
}

/**
 * Posts the report where its readers look: the sticky comment of the pull request (one per key),
 * a commit comment on a push when asked, or nowhere but the job summary — always for a pull request
 * from a fork, whose token is read-only (the workflow_run reporter posts it from the base repository).
 */
export async function deliverReport(
  poster: ReportPoster,
  event: ReportEvent,
  comment: string,
  options: { key: string; withoutPullRequest: WithoutPullRequest },
): Promise<Delivery> {
  const { pullRequest } = event;
  if (pullRequest?.fromFork) {
    return { where: 'summary', reason: 'the pull request comes from a fork, whose token cannot comment' };
  }
  if (pullRequest) {
    const sticky = await poster.stickyComment(pullRequest.number, options.key, comment);
    return { where: 'pull-request', url: sticky.url, action: sticky.action };
  }
  if (options.withoutPullRequest === 'commit-comment') {
    const { url } = await poster.commitComment(event.sha, comment);
    return { where: 'commit', url };
  }
  return { where: 'summary', reason: `the ${event.eventName} event has no pull request` };
}
