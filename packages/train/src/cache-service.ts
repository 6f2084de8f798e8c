import { isAbsolute, resolve } from 'node:path';
import * as cache from '@actions/cache';
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
  return {
    unavailable() {
      if (cache.isFeatureAvailable()) return undefined;
      const url = env.ACTIONS_CACHE_SERVICE_V2 ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
      return `this runner offers no cache service (${url} is not set)`;
    },
    async restore(paths, key, restoreKeys) {
      return cache.restoreCache(paths, key, restoreKeys);
    },
    async save(paths, key) {
      return (await cache.saveCache(paths, key)) !== -1;
    },
  };
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
