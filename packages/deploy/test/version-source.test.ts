import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArtifactStore, openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeSource, parseVersionSource, resolveManifest } from '../src/version-source.ts';

const SHA = 'a'.repeat(40);

describe('parseVersionSource', () => {
  it('reads a version, an alias, or nothing as the commit', () => {
    expect(parseVersionSource('1.2.0', SHA)).toEqual({ kind: 'version', version: '1.2.0' });
    expect(parseVersionSource('v2.0.0-rc.1', SHA)).toEqual({ kind: 'version', version: 'v2.0.0-rc.1' });
    expect(parseVersionSource('staging', SHA)).toEqual({ kind: 'alias', alias: 'staging' });
    expect(parseVersionSource('1.2', SHA)).toEqual({ kind: 'alias', alias: '1.2' });
    expect(parseVersionSource(' ', SHA)).toEqual({ kind: 'commit', sha: SHA });
    expect(parseVersionSource(undefined, SHA)).toEqual({ kind: 'commit', sha: SHA });
  });

  it('describes each source', () => {
    expect(describeSource({ kind: 'commit', sha: SHA })).toBe('the version published from aaaaaaaaaaaa');
    expect(describeSource({ kind: 'alias', alias: 'staging' })).toBe('alias staging');
  });
});

describe('resolveManifest', () => {
  let dir: string;
  let store: ArtifactStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-source-'));
    store = openStore(`file://${join(dir, 'store')}`);
    await writeFile(join(dir, 'm.bin'), 'm');
    const publish = (version: string, gitSha: string) =>
      store.publish({ name: 'iris', version, files: [join(dir, 'm.bin')], provenance: { gitSha } });
    await publish('1.0.0', SHA);
    await publish('1.1.0', SHA);
    await publish('1.2.0', 'b'.repeat(40));
    await store.promote({ name: 'iris', alias: 'staging', version: '1.0.0' });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the highest version published from the commit', async () => {
    expect((await resolveManifest(store, 'iris', { kind: 'commit', sha: SHA.toUpperCase() })).version).toBe(
      '1.1.0',
    );
    await expect(resolveManifest(store, 'iris', { kind: 'commit', sha: 'c'.repeat(40) })).rejects.toThrow(
      /No version of iris .* was published from commit c{40}/,
    );
  });

  it('checks a version exists and follows an alias', async () => {
    expect((await resolveManifest(store, 'iris', { kind: 'version', version: 'v1.2.0' })).version).toBe(
      '1.2.0',
    );
    expect((await resolveManifest(store, 'iris', { kind: 'alias', alias: 'staging' })).version).toBe('1.0.0');
    await expect(resolveManifest(store, 'iris', { kind: 'version', version: '3.0.0' })).rejects.toThrow(
      /no version 3\.0\.0/,
    );
    await expect(resolveManifest(store, 'iris', { kind: 'alias', alias: 'production' })).rejects.toThrow(
      /Alias production of iris is not set/,
    );
  });
});
