import type { GitHubClient } from './client.ts';

/**
 * Where a pull request's head is now: its repository (undefined once deleted), branch and commit;
 * undefined when the repository has no such pull request.
 */
export async function pullRequestHead(
  client: GitHubClient,
  target: { owner: string; repo: string; number: number },
): Promise<{ repository: string | undefined; branch: string; sha: string } | undefined> {
  try {
    const { data } = await client.rest.pulls.get({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
    });
    return { repository: data.head.repo?.full_name, branch: data.head.ref, sha: data.head.sha };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
