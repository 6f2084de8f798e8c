import { UserError } from './user-error.ts';

/**
 * A GitHub API request that got no answer at all (a wrong address, a refused connection, no network)
 * as one line naming the address, which the fronts print like any other mistake of the user's.
 * Octokit reports these as an HttpError with no response; anything else gives undefined.
 */
export function unreachableFailure(error: unknown): UserError | undefined {
  const e = error as { name?: unknown; message?: unknown; response?: unknown; request?: { url?: unknown } };
  if (e?.name !== 'HttpError' || e.response !== undefined || typeof e.request?.url !== 'string')
    return undefined;
  let origin = e.request.url;
  try {
    origin = new URL(e.request.url).origin;
  } catch {
    // not a URL: name it as it is
  }
  return new UserError(
    `No answer from the GitHub API at ${origin} (${String(e.message)}). Check the API address ` +
      '(GITHUB_API_URL, or --api-url) and the network.',
  );
}
