import { getOctokit } from '@actions/github';

import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** The Octokit every action uses: REST methods, pagination, retries and throttling. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** REST API root; defaults to GITHUB_API_URL (GHES) or https://api.github.com. */
  baseUrl?: string;
  /** How many times one request is retried after a rate-limit or secondary-rate-limit answer. */
  maxRateLimitRetries?: number;
  /** Where retry notices go (the action log, stderr for the CLI). */
  log?: (message: string) => void;
}

/**
 * One client for every action: @actions/github's getOctokit (the job's token, proxy settings,
 * GITHUB_API_URL) with plugin-retry for 5xx answers and plugin-throttling for primary and
 * secondary rate limits, which GitHub answers with retry-after that must be honoured.
 */
export function createClient(options: ClientOptions): GitHubClient {
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const log = options.log ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount >= maxRetries) {
        log(`GitHub ${kind} on ${request.method} ${request.url}: giving up after ${retryCount} retries`);
        return false;
      }
      log(`GitHub ${kind} on ${request.method} ${request.url}: retrying in ${retryAfter}s`);
      return true;
    };
  const octokitOptions = {
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // A conflict (409) or an unimplemented endpoint (501) will not change on a retry; plugin-retry's
    // defaults would retry them for ~14 s before the caller hears of it.
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451, 501] },
    throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
  } as Parameters<typeof getOctokit>[1];
  return getOctokit(options.token, octokitOptions, retry, throttling);
}
