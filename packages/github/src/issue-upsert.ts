import type { GitHubClient } from './client.ts';
import { hiddenMarker } from './marker.ts';
import { withPermission } from './permission-error.ts';
import { writtenBy } from './token-identity.ts';

export interface TrackedIssue {
  owner: string;
  repo: string;
  /** Names the check; one open issue per check name at most. */
  key: string;
  title: string;
  labels: string[];
  assignees: string[];
  /** The login the token writes as (token-identity.ts): only its issues are matched. */
  author: string;
}

export interface IssueOutcome {
  action: 'opened' | 'commented' | 'closed' | 'none';
  number?: number;
  url?: string;
}

export function issueMarker(key: string): string {
  return hiddenMarker('issue', key);
}

/**
 * The open issue this check opened earlier, if any: written by the token's identity and carrying the
 * marker (pull requests excluded, every page read). An issue anyone else wrote is never taken over.
 */
export async function findOpenIssue(client: GitHubClient, target: TrackedIssue) {
  const marker = issueMarker(target.key);
  const issues = await client.paginate(client.rest.issues.listForRepo, {
    owner: target.owner,
    repo: target.repo,
    state: 'open',
    per_page: 100,
    ...(target.labels.length > 0 ? { labels: target.labels.join(',') } : {}),
  });
  return issues.find((i) => !i.pull_request && writtenBy(i, target.author) && i.body?.includes(marker));
}

export interface IssueState {
  problem: boolean;
  /** The comment while the problem lasts (and the body of a new issue, without `issueBody`). */
  body: string;
  recoveredBody: string;
  closeOnRecovery: boolean;
  /**
   * The issue's body, kept up to date on every run while the issue is open: made from the open
   * issue's current body (a memory kept there; undefined when opening). The marker is added here.
   */
  issueBody?: (previous: string | undefined) => string;
}

/**
 * Keeps one issue per check: opens it when the problem appears, comments on it while the problem
 * persists instead of opening another, and when the problem is gone says so and, if asked, closes it.
 */
export async function upsertIssue(
  client: GitHubClient,
  target: TrackedIssue,
  state: IssueState,
): Promise<IssueOutcome> {
  const { owner, repo } = target;
  const marked = (body: string) => `${issueMarker(target.key)}\n${body}`;
  const existing = await findOpenIssue(client, target);
  if (state.problem && !existing) {
    const { data } = await withPermission('open an issue', 'issues: write', () =>
      client.rest.issues.create({
        owner,
        repo,
        title: target.title,
        body: marked(state.issueBody?.(undefined) ?? state.body),
        labels: target.labels,
        assignees: target.assignees,
      }),
    );
    return { action: 'opened', number: data.number, url: data.html_url };
  }
  if (!existing) return { action: 'none' };
  const body = state.problem ? state.body : state.recoveredBody;
  await withPermission('comment on the issue', 'issues: write', () =>
    client.rest.issues.createComment({ owner, repo, issue_number: existing.number, body }),
  );
  if (state.issueBody) {
    const updated = marked(state.issueBody(existing.body ?? undefined));
    await withPermission('update the issue', 'issues: write', () =>
      client.rest.issues.update({ owner, repo, issue_number: existing.number, body: updated }),
    );
  }
  if (!state.problem && state.closeOnRecovery) {
    await withPermission('close the issue', 'issues: write', () =>
      client.rest.issues.update({
        owner,
        repo,
        issue_number: existing.number,
        state: 'closed',
        state_reason: 'completed',
      }),
    );
    return { action: 'closed', number: existing.number, url: existing.html_url };
  }
  return { action: 'commented', number: existing.number, url: existing.html_url };
}
