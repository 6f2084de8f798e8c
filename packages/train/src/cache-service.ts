import { isAbsolute, resolve } from 'node:path';
import { hashFiles } from '@actions/glob';

/** The runner's cache, as the train flow uses it. */
export interface CacheService {
  /** Why there is no cache service here (local runs, some GHES), or undefined when there is one. */
  unavailable(): string | undefined;
  /** Restores `paths`; the key that matched, or undefined on a miss or a failure (logged). */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves `paths` under `key`; false when it could not (logged), which never fails the job. */
  save(paths: string[], key: string): Promise<boolean>;
}

/**
 * The runner's cache through @actions/cache (v4+ speaks the cache service's Twirp API and uploads to
 * the blob store it names). Paths are relative to the workspace, which is the working directory of
 * an action, so that a cache saved on one machine restores on another.
 */
export function actionsCache(env: NodeJS.ProcessEnv = process.env): CacheService {
  // @actions/cache (with the Azure Storage SDK) is loaded only when there is a cache to talk to: it
  // is most of the action's memory, and many self-hosted runners have no cache service.
  const load = () => import('@actions/cache');
  return {
    unavailable() {
      const variable = cacheServiceVariable(env);
      return env[variable] ? undefined : `this runner offers no cache service (${variable} is not set)`;
    },
    async restore(paths, key, restoreKeys) {
      return (await load()).restoreCache(paths, key, restoreKeys);
    },
    async save(paths, key) {
      return (await (await load()).saveCache(paths, key)) !== -1;
    },
  };
}

/**
 * The variable that says where the cache service is, as @actions/cache's isFeatureAvailable reads
 * it: ACTIONS_RESULTS_URL for the v2 service (ACTIONS_CACHE_SERVICE_V2 set, never on GHES),
 * ACTIONS_CACHE_URL otherwise.
 */
export function cacheServiceVariable(env: NodeJS.ProcessEnv): 'ACTIONS_RESULTS_URL' | 'ACTIONS_CACHE_URL' {
  const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase();
  const ghes = host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
  return env.ACTIONS_CACHE_SERVICE_V2 && !ghes ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
}

/**
 * A fingerprint of the data: sha256 over the contents of the files the patterns match (folders
 * recurse), as the `hashFiles()` workflow function computes it; '' when nothing matches.
 */
export async function dataFingerprint(patterns: readonly string[], workspace: string): Promise<string> {
  if (patterns.length === 0) return '';
  // Patterns are read from the workspace whatever the working directory (`!` negates, as in globs).
  const rooted = patterns.map((p) => {
    const negated = p.startsWith('!');
    const path = negated ? p.slice(1) : p;
    return `${negated ? '!' : ''}${isAbsolute(path) ? path : resolve(workspace, path)}`;
  });
  return hashFiles(rooted.join('\n'), workspace);
}
