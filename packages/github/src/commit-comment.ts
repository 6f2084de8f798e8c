import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

/** Comments on a commit (a report on a push, where there is no pull request to comment on). */
export async function commentOnCommit(
  client: GitHubClient,
  target: { owner: string; repo: string; sha: string },
  body: string,
): Promise<{ url: string }> {
  const { data } = await withPermission('comment on the commit', 'contents: write', () =>
    client.rest.repos.createCommitComment({
      owner: target.owner,
      repo: target.repo,
      commit_sha: target.sha,
      body,
    }),
  );
  return { url: data.html_url };
}
