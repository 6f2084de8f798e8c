import type { EventInfo } from './action-io.ts';
import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';
import { upsertStickyComment } from './sticky-comment.ts';
import { tokenIdentity } from './token-identity.ts';

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

/**
 * Posts the report where its readers look: the sticky comment of the pull request (one per key),
 * a commit comment on a push when asked, or nowhere but the job summary — always for a pull request
 * from a fork, whose token is read-only (the workflow_run reporter posts it from the base repository).
 */
export async function deliverReport(
  client: GitHubClient,
  event: EventInfo,
  comment: string,
  options: { key: string; withoutPullRequest: WithoutPullRequest; commentAuthor?: string },
): Promise<Delivery> {
  const { owner, repo, pullRequest } = event;
  if (pullRequest?.fromFork) {
    return { where: 'summary', reason: 'the pull request comes from a fork, whose token cannot comment' };
  }
  if (pullRequest) {
    const sticky = await upsertStickyComment(
      client,
      {
        owner,
        repo,
        issueNumber: pullRequest.number,
        key: options.key,
        author: await tokenIdentity(client, options.commentAuthor),
      },
      comment,
    );
    return { where: 'pull-request', url: sticky.url, action: sticky.action };
  }
  if (options.withoutPullRequest === 'commit-comment') {
    const { data } = await withPermission('comment on the commit', 'contents: write', () =>
      client.rest.repos.createCommitComment({ owner, repo, commit_sha: event.sha, body: comment }),
    );
    return { where: 'commit', url: data.html_url };
  }
  return { where: 'summary', reason: `the ${event.eventName} event has no pull request` };
}
