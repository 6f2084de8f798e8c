import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@mlactions/github';
import { Octokit } from '@octokit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubDouble, startGitHubDouble } from '../../../test/harness/github-double/index.ts';
import { assetNames, MANIFEST_ASSET } from '../src/github-release.ts';
import { openStore } from '../src/open-store.ts';

import { steppingClock, userErrorOf } from './contract.ts';
import { acceptArbitration } from './release-helpers.ts';

describe('release asset names', () => {
  it('replaces what GitHub would rename, keeps names unique and reserves the manifest', () => {
    expect(
      assetNames(
        [
          { path: 'model.onnx', size: 10 },
          { path: 'tokenizer/vocab.json', size: 10 },
          { path: 'tokenizer__vocab.json', size: 10 },
          { path: 'my notes ü.txt', size: 10 },
          { path: '.env', size: 10 },
          { path: MANIFEST_ASSET, size: 10 },
        ],
        100,
      ),
    ).toEqual([
      ['model.onnx'],
      ['tokenizer__vocab.json'],
      ['2-tokenizer__vocab.json'],
      ['my_notes__.txt'],
      ['_.env'],
      [`2-${MANIFEST_ASSET}`],
    ]);
  });

  it('splits files larger than the part size into numbered parts', () => {
    expect(assetNames([{ path: 'big.bin', size: 250 }], 100)).toEqual([
      ['big.bin.part001', 'big.bin.part002', 'big.bin.part003'],
    ]);
    expect(assetNames([{ path: 'exact.bin', size: 100 }], 100)).toEqual([['exact.bin']]);
    expect(assetNames([{ path: 'empty', size: 0 }], 100)).toEqual([['empty']]);
  });
});

describe('GitHub release store against the GitHub API double', () => {
  let double: GitHubDouble;
  let work: string;
  const repo = 'github-release://octo-org/models';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'mlactions-release-store-'));
    double = await startGitHubDouble({ owner: 'octo-org', repo: 'models' });
  });
  afterAll(async () => {
    expect(acceptArbitration(double)).toEqual([]);
    await double.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Tags of the releases created so far, in order. */
  const createdTags = () =>
    double.requestsFor('repos/create-release').map((r) => (r.body as { tag_name: string }).tag_name);

  it('works with the project client from @mlactions/github (retries, throttling)', async () => {
    await writeFile(join(work, 'model.onnx'), randomBytes(5000));
    const client = createClient({ token: 'test-token', baseUrl: double.url, pacing: 'none' });
    const store = openStore(repo, { cwd: work, github: { client } });
    const { manifest } = await store.publish({ name: 'iris', version: '1.0.0', files: ['model.onnx'] });
    expect(manifest.files[0]!.assets).toEqual(['model.onnx']);
    await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });

    const out = join(work, 'out-client');
    await store.fetch({ name: 'iris', alias: 'production', out });
    expect(await readFile(join(out, 'model.onnx'))).toEqual(await readFile(join(work, 'model.onnx')));
    expect(createdTags().filter((tag) => tag.startsWith('iris@'))).toEqual(['iris@v1.0.0', 'iris@aliases']);
  });

  it('resumes an interrupted publish in the same release, keeping the parts already uploaded', async () => {
    const bytes = randomBytes(300_000);
    await writeFile(join(work, 'weights.bin'), bytes);
    // A plain Octokit: the stand-in for a lost runner below (a progress callback that throws inside the
    // upload stream) escapes as an uncaught exception when createClient's plugins schedule the request
    // through their limiters, a tick later.
    const client = new Octokit({ auth: 'test-token', baseUrl: double.url });
    const open = (signal?: AbortSignal) =>
      openStore(repo, {
        cwd: work,
        now: steppingClock(),
        progressIntervalMs: 0,
        github: { client, partSize: 128_000 },
        ...(signal ? { signal } : {}),
      });

    // The run is interrupted while the second part streams up.
    const interrupt = new AbortController();
    const stopped = open(interrupt.signal).publish({
      name: 'resume',
      version: '1.0.0',
      files: ['weights.bin'],
      onProgress: (p) => {
        if (p.phase === 'upload' && p.bytes > 128_000) interrupt.abort();
      },
    });
    await expect(stopped).rejects.toThrow();
    expect(await open().listVersions('resume')).toEqual([]);
    expect(await userErrorOf(open().show('resume', '1.0.0'))).toContain('no version 1.0.0');

    const retried = await open().publish({ name: 'resume', version: '1.0.0', files: ['weights.bin'] });
    expect(retried).toMatchObject({ uploadedBytes: 300_000 - 128_000, skippedBytes: 128_000 });
    expect(retried.manifest.files[0]!.assets).toEqual([
      'weights.bin.part001',
      'weights.bin.part002',
      'weights.bin.part003',
    ]);
    const out = join(work, 'out-resume');
    await open().fetch({ name: 'resume', version: '1.0.0', out });
    expect(await readFile(join(out, 'weights.bin'))).toEqual(bytes);
  });

  it('refuses a version that needs more than 1,000 assets before creating anything', async () => {
    await writeFile(join(work, 'many-parts.bin'), randomBytes(1000));
    const client = createClient({ token: 'test-token', baseUrl: double.url, pacing: 'none' });
    const store = openStore(repo, { cwd: work, github: { client, partSize: 1 } });
    const message = await userErrorOf(
      store.publish({ name: 'huge', version: '1.0.0', files: ['many-parts.bin'] }),
    );
    expect(message).toContain('needs 1001 release assets');
    expect(message).toContain('at most 1000');
    expect(createdTags().filter((tag) => tag.startsWith('huge@'))).toEqual([]);
  });
});
