import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, startS3Server } from '../../../test/harness/s3-server.ts';
import { openStore } from '../src/open-store.ts';

import { S3Store } from '../src/s3-store.ts';
import { steppingClock, userErrorOf } from './contract.ts';

const MiB = 1024 * 1024;

/** Writes `mib` MiB of random-looking bytes as a stream, returning its sha256. */
async function writeLargeFile(path: string, mib: number): Promise<string> {
  const block = randomBytes(MiB);
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i += 1) {
    block.writeUInt32BE(i, 0); // every MiB differs, so misplaced parts change the digest
    hash.update(block);
    if (!out.write(block)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest('hex');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

describe('S3 store against a local S3 server', () => {
  let server: S3Server;
  let work: string;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['models'] });
    work = await mkdtemp(join(tmpdir(), 'mlactions-s3-store-'));
  });

  afterAll(async () => {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('names the variable, and the init flag, that give a region when none is set', async () => {
    const saved = { ...process.env };
    for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[key];
    process.env.AWS_CONFIG_FILE = join(work, 'no-aws-config');
    try {
      const store = openStore('s3://models/registry', {
        cwd: work,
        s3: { clientConfig: { credentials: s3ClientConfig(server.endpoint).credentials } },
      });
      expect(await userErrorOf(store.listVersions('iris'))).toBe(
        'No AWS region is set: set the AWS_REGION environment variable (in GitHub Actions, the aws-region ' +
          'input of aws-actions/configure-aws-credentials, which `mlactions init --aws-region` writes).',
      );
    } finally {
      process.env = saved;
    }
  });

  it('takes a 100 MB file as a parallel multipart upload and fetches it back verified', async () => {
    const digest = await writeLargeFile(join(work, 'big.bin'), 100);
    const parts: number[] = [];
    const store = openStore('s3://models/big', {
      cwd: work,
      now: steppingClock(),
      progressIntervalMs: 0,
      s3: { clientConfig: s3ClientConfig(server.endpoint), partSize: 8 * MiB, queueSize: 4 },
    });
    const published = await store.publish({
      name: 'big',
      version: '1.0.0',
      files: ['big.bin'],
      onProgress: (p) => {
        if (p.phase === 'upload') parts.push(p.bytes);
      },
    });
    expect(published.manifest.files[0]).toMatchObject({ size: 100 * MiB, sha256: digest });
    expect(published.uploadedBytes).toBe(100 * MiB);
    // 13 parts of 8 MiB: progress arrives part by part, ending at the whole file.
    expect(parts.length).toBeGreaterThanOrEqual(13);
    expect(parts.at(-1)).toBe(100 * MiB);

    const again = await store.publish({ name: 'big', version: '1.0.1', files: ['big.bin'] });
    expect(again).toMatchObject({ uploadedBytes: 0, skippedBytes: 100 * MiB, skippedFiles: 1 });

    const out = join(work, 'out-big');
    await store.fetch({ name: 'big', version: '1.0.1', out });
    expect(await sha256File(join(out, 'big.bin'))).toBe(digest);
  });

  it('shows that s3rver ignores If-None-Match, so exclusive creates need the lock', async () => {
    const client = new S3Client(s3ClientConfig(server.endpoint));
    const put = (body: string) =>
      client.send(
        new PutObjectCommand({ Bucket: 'models', Key: 'probe/once', Body: body, IfNoneMatch: '*' }),
      );
    await put('first');
    await expect(put('second')).resolves.toBeDefined(); // AWS S3 would answer 412 here
    client.destroy();
  });

  it('lets exactly one of many concurrent exclusive creates of a key succeed', async () => {
    const stores = Array.from(
      { length: 6 },
      () =>
        new S3Store({
          client: new S3Client(s3ClientConfig(server.endpoint)),
          bucket: 'models',
          prefix: 'locking/',
          uri: 's3://models/locking',
        }),
    );
    const created = await Promise.all(
      stores.map((store, i) => store.createExclusive('record.json', `{"writer":${i}}`)),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await stores[0]!.list('locks/')).toEqual([]);
  });
});

describe('S3 server stopped in the middle of a multipart upload', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'mlactions-s3-fault-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('leaves no version, and a retry after a restart on the same data completes it', async () => {
    const data = join(work, 's3-data');
    const server = await startS3Server({ buckets: ['models'], directory: data, keepDirectory: true });
    const digest = await writeLargeFile(join(work, 'model.bin'), 40);
    const open = () =>
      openStore('s3://models/registry', {
        cwd: work,
        now: steppingClock(),
        progressIntervalMs: 0,
        s3: {
          clientConfig: { ...s3ClientConfig(server.endpoint), maxAttempts: 2 },
          partSize: 5 * MiB,
          queueSize: 2,
        },
      });

    let stopping: Promise<void> | undefined;
    const failed = await userErrorOf(
      open().publish({
        name: 'fault',
        version: '1.0.0',
        files: ['model.bin'],
        onProgress: (p) => {
          if (p.phase === 'upload' && p.bytes >= 10 * MiB && !stopping) stopping = server.stop();
        },
      }),
    );
    expect(stopping).toBeDefined();
    expect(failed).toContain('could not be reached');
    await stopping;

    await server.start();
    expect(await open().listVersions('fault')).toEqual([]);
    expect(await userErrorOf(open().show('fault', '1.0.0'))).toContain('no version 1.0.0 of fault');

    const retried = await open().publish({ name: 'fault', version: '1.0.0', files: ['model.bin'] });
    expect(retried.uploadedBytes).toBe(40 * MiB);
    const out = join(work, 'out');
    await open().fetch({ name: 'fault', version: '1.0.0', out });
    expect(await sha256File(join(out, 'model.bin'))).toBe(digest);
    expect(await readdir(out)).toEqual(['model.bin']);
    await server.stop();
  });
});
