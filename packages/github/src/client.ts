import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

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
  /**
   * How writes are spaced. 'github' (the default) keeps plugin-throttling's pacing, which github.com
   * asks for to stay clear of its secondary rate limits: a write at most every second, a request that
   * creates content (an issue, a comment, a release…) at most every three. 'none' sends them as they
   * come, for a GitHub API double or a GHES instance without secondary rate limits. Either way, rate
   * limit answers (primary and secondary) are retried after the wait GitHub names.
   */
  pacing?: 'github' | 'none';
}

/**
 * plugin-throttling's write and notification groups without their minimum spacing (one request at a
 * time each, as the plugin's own). Made once: like the plugin's groups, they serve every client.
 */
let unpaced: { write: Bottleneck.Group; notifications: Bottleneck.Group } | undefined;
function unpacedGroups() {
  unpaced ??= {
    write: new Bottleneck.Group({ id: 'mlactions-write', maxConcurrent: 1, minTime: 0 }),
    notifications: new Bottleneck.Group({ id: 'mlactions-notifications', maxConcurrent: 1, minTime: 0 }),
  };
  return unpaced;
}

/**
 * One client for every action: @actions/github's getOctokit (the job's token, proxy settings,
 * GITHUB_API_URL) with plugin-retry for 5xx answers and plugin-throttling for primary and
 * secondary rate limits, which GitHub answers with retry-after that must be honoured, and for the
 * pacing of writes (see ClientOptions.pacing).
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
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      ...(options.pacing === 'none' ? unpacedGroups() : {}),
    },
  } as Parameters<typeof getOctokit>[1];
  return getOctokit(options.token, octokitOptions, retry, throttling);
}
