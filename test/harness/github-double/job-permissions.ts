// What a job's GITHUB_TOKEN may write, given the job's `permissions:` (GitHub's "Permissions required
// for GitHub Apps", which the job token follows): a write without its permission answers 403
// "Resource not accessible by integration", as on GitHub.

/** The permissions that allow a write, by operationId; either one of a pair will do. */
const BY_OPERATION: Record<string, string[]> = {
  'repos/create-commit-status': ['statuses'],
  'repos/create-deployment': ['deployments'],
  'repos/create-deployment-status': ['deployments'],
  'repos/delete-deployment': ['deployments'],
  // A pull request's conversation is an issue's: its comments take either permission.
  'issues/create-comment': ['issues', 'pull-requests'],
  'issues/update-comment': ['issues', 'pull-requests'],
  'issues/delete-comment': ['issues', 'pull-requests'],
};

/** Otherwise by the operation's category (its operationId's first part). */
const BY_CATEGORY: Record<string, string> = {
  repos: 'contents',
  issues: 'issues',
  checks: 'checks',
  actions: 'actions',
  pulls: 'pull-requests',
};

/** Whether a token with these permissions may send this write. */
export function mayWrite(permissions: Readonly<Record<string, string>>, operationId: string): boolean {
  const needed = BY_OPERATION[operationId] ?? [BY_CATEGORY[operationId.split('/')[0]!] ?? operationId];
  return needed.some((permission) => permissions[permission] === 'write');
}
