import type { GitHubClient } from './client.ts';

/** A pull request's current head commit; undefined when the repository has no such pull request. */
export async function pullRequestHead(
  client: GitHubClient,
  target: { owner: string; repo: string; number: number },
): Promise<string | undefined> {
  try {
    const { data } = await client.rest.pulls.get({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
    });
    return data.head.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
