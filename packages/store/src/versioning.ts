import semver from 'semver';

export type Bump = 'major' | 'minor' | 'patch';

export const BUMPS: readonly Bump[] = ['major', 'minor', 'patch'];

/** Versions sorted by semantic-version precedence, lowest first. */
export function sortVersions(versions: string[]): string[] {
  return [...versions].sort(semver.compare);
}

/** The highest version by semantic-version precedence, or undefined for none. */
export function latestVersion(versions: string[]): string | undefined {
  return sortVersions(versions).at(-1);
}

/**
 * The next version after the latest of `versions` (prerelease tags dropped by semver's rules:
 * `1.2.0-rc.1` bumped by patch is `1.2.0`); with no versions yet, the bump applied to 0.0.0
 * (`patch` → 0.0.1, `minor` → 0.1.0, `major` → 1.0.0).
 */
export function nextVersion(versions: string[], bump: Bump): string {
  return semver.inc(latestVersion(versions) ?? '0.0.0', bump)!;
}
