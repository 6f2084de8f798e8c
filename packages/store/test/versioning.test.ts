import { describe, expect, it } from 'vitest';
import { latestVersion, nextVersion, sortVersions } from '../src/versioning.ts';

describe('versioning', () => {
  it('sorts by semver precedence, not as text', () => {
    expect(sortVersions(['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.9'])).toEqual([
      '0.9.9',
      '1.2.0-rc.1',
      '1.2.0',
      '1.10.0',
    ]);
    expect(latestVersion(['1.10.0', '1.9.0'])).toBe('1.10.0');
    expect(latestVersion([])).toBeUndefined();
  });

  it('bumps from the latest version', () => {
    const versions = ['1.2.3', '1.10.0', '0.4.0'];
    expect(nextVersion(versions, 'patch')).toBe('1.10.1');
    expect(nextVersion(versions, 'minor')).toBe('1.11.0');
    expect(nextVersion(versions, 'major')).toBe('2.0.0');
  });

  it('bumps from 0.0.0 when there is no version yet, and releases a prerelease by patch', () => {
    expect(nextVersion([], 'patch')).toBe('0.0.1');
    expect(nextVersion([], 'minor')).toBe('0.1.0');
    expect(nextVersion([], 'major')).toBe('1.0.0');
    expect(nextVersion(['1.2.0-rc.1'], 'patch')).toBe('1.2.0');
  });
});
