import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintData } from '../src/fingerprint.ts';
import { hashFile } from '../src/hash.ts';
import { assertUnchanged, resolveLocalFiles } from '../src/local-files.ts';
import { provenanceFromEnv } from '../src/provenance.ts';
import { sha256, userErrorOf } from './contract.ts';

describe('local files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlactions-local-files-'));
    await mkdir(join(dir, 'model/sub'), { recursive: true });
    await writeFile(join(dir, 'model/a.bin'), 'aaa');
    await writeFile(join(dir, 'model/sub/b.txt'), 'bb');
    await writeFile(join(dir, 'a.bin'), 'top');
    await mkdir(join(dir, 'empty'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores files under their base name and directories under their name, sorted by path', async () => {
    const files = await resolveLocalFiles(
      ['model', 'a.bin', { source: 'a.bin', path: 'docs/copy.bin' }],
      dir,
    );
    expect(files.map((f) => [f.path, f.size])).toEqual([
      ['a.bin', 3],
      ['docs/copy.bin', 3],
      ['model/a.bin', 3],
      ['model/sub/b.txt', 2],
    ]);
    expect(files[0]!.source).toBe(join(dir, 'a.bin'));
  });

  it('refuses nothing, missing files, empty directories, unsafe paths and collisions', async () => {
    expect(await userErrorOf(resolveLocalFiles([], dir))).toContain('Nothing to publish');
    expect(await userErrorOf(resolveLocalFiles(['nope.bin'], dir))).toContain('does not exist');
    expect(await userErrorOf(resolveLocalFiles(['empty'], dir))).toContain('has no files');
    expect(await userErrorOf(resolveLocalFiles([{ source: 'a.bin', path: '../x' }], dir))).toContain(
      'Invalid file path',
    );
    expect(await userErrorOf(resolveLocalFiles(['a.bin', 'model/a.bin'], dir))).toContain(
      'Two files would be stored as a.bin',
    );
  });

  it('notices a file that changed after it was resolved', async () => {
    const [file] = await resolveLocalFiles(['a.bin'], dir);
    await expect(assertUnchanged(file!)).resolves.toBeUndefined();
    await utimes(join(dir, 'a.bin'), new Date(0), new Date(1_000_000));
    expect(await userErrorOf(assertUnchanged(file!))).toContain('changed while it was being published');
  });

  it('hashes a whole file or a byte range', async () => {
    expect(await hashFile(join(dir, 'model/a.bin'))).toEqual({ sha256: sha256(Buffer.from('aaa')), size: 3 });
    expect(await hashFile(join(dir, 'model/a.bin'), () => {}, { range: { start: 1, end: 3 } })).toEqual({
      sha256: sha256(Buffer.from('aa')),
      size: 2,
    });
  });

  it('fingerprints a data directory as sha256sum over its sorted listing does', async () => {
    const print = await fingerprintData('model', dir);
    const listing = execFileSync('sh', ['-c', 'sha256sum $(find . -type f | LC_ALL=C sort) | sha256sum'], {
      cwd: join(dir, 'model'),
      encoding: 'utf8',
    });
    expect(print).toEqual({ path: 'model', size: 5, files: 2, sha256: listing.split(' ')[0] });
    expect(await fingerprintData('a.bin', dir)).toEqual({
      path: 'a.bin',
      size: 3,
      files: 1,
      sha256: sha256(Buffer.from('top')),
    });
    expect(await userErrorOf(fingerprintData('absent', dir))).toContain('does not exist');
  });
});

describe('provenance', () => {
  it('comes from the GitHub Actions environment', () => {
    expect(
      provenanceFromEnv({
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'octo/models',
        GITHUB_RUN_ID: '42',
        GITHUB_ACTOR: 'octocat',
      }),
    ).toEqual({
      gitSha: 'c'.repeat(40),
      gitRef: 'refs/heads/main',
      runUrl: 'https://github.example/octo/models/actions/runs/42',
      actor: 'octocat',
    });
    expect(provenanceFromEnv({})).toEqual({});
  });
});
