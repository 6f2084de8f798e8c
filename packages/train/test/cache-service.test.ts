import { isFeatureAvailable } from '@actions/cache';
import { afterEach, describe, expect, it } from 'vitest';
import { actionsCache, cacheServiceVariable } from '../src/cache-service.ts';

const NAMES = [
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'GITHUB_SERVER_URL',
] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('the cache service check', () => {
  // The check is ours so that @actions/cache (and the Azure SDK) load only where a cache exists; it
  // must agree with the library's own.
  it.each<Record<string, string>>([
    {},
    { ACTIONS_CACHE_URL: 'https://cache/' },
    { ACTIONS_RESULTS_URL: 'https://results/' },
    { ACTIONS_RESULTS_URL: 'https://results/', ACTIONS_CACHE_SERVICE_V2: 'true' },
    { ACTIONS_CACHE_URL: 'https://cache/', ACTIONS_CACHE_SERVICE_V2: 'true' },
    {
      ACTIONS_RESULTS_URL: 'https://r/',
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_SERVER_URL: 'https://ghes.example.com',
    },
    {
      ACTIONS_CACHE_URL: 'https://c/',
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_SERVER_URL: 'https://acme.ghe.com',
    },
  ])('agrees with @actions/cache for %o', (env) => {
    for (const n of NAMES) delete process.env[n];
    Object.assign(process.env, env);
    expect(Boolean(process.env[cacheServiceVariable(process.env)])).toBe(isFeatureAvailable());
    expect(actionsCache(process.env).unavailable() === undefined).toBe(isFeatureAvailable());
  });
});
