import { unreachableFailure } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { startGitHubDouble, UNREACHABLE_API_URL } from '../../../test/harness/index.ts';
import { createClient } from '../src/client.ts';

describe('a GitHub API that does not answer', () => {
  it('is one line naming the address, for the fronts to print', async () => {
    const client = createClient({ token: 't', baseUrl: UNREACHABLE_API_URL, pacing: 'none' });
    const error = await client.rest.repos
      .get({ owner: 'octocat', repo: 'model-repo', request: { retries: 0 } })
      .catch((e: unknown) => e);
    expect(unreachableFailure(error)?.message).toMatch(
      /^No answer from the GitHub API at http:\/\/127\.0\.0\.1:9 \(.+\)\. Check the API address \(GITHUB_API_URL, or --api-url\) and the network\.$/,
    );
  });

  it('is not an answer, even an error one, nor any other failure', async () => {
    const double = await startGitHubDouble();
    try {
      const client = createClient({ token: 't', baseUrl: double.url, pacing: 'none' });
      const notFound = await client.rest.repos
        .get({ owner: 'octocat', repo: 'missing' })
        .catch((e: unknown) => e);
      expect((notFound as { status?: number }).status).toBe(404);
      expect(unreachableFailure(notFound)).toBeUndefined();
      expect(unreachableFailure(new Error('bad port'))).toBeUndefined();
      expect(unreachableFailure(undefined)).toBeUndefined();
    } finally {
      await double.close();
    }
  });
});
