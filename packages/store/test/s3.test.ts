import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

  it('takes a large file as a parallel multipart upload and fetches it back verified', async () => {
    // 36 MiB: five parts of 8 MiB, the last one short, four of them in flight at once.
    const digest = await writeLargeFile(join(work, 'big.bin'), 36);
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
    expect(published.manifest.files[0]).toMatchObject({ size: 36 * MiB, sha256: digest });
    expect(published.uploadedBytes).toBe(36 * MiB);
    // Progress arrives part by part, ending at the whole file.
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(parts.at(-1)).toBe(36 * MiB);

    const again = await store.publish({ name: 'big', version: '1.0.1', files: ['big.bin'] });
    expect(again).toMatchObject({ uploadedBytes: 0, skippedBytes: 36 * MiB, skippedFiles: 1 });

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

describe('a blob already stored, told by the SHA-256 checksum S3 keeps', () => {
  let server: S3Server;
  let client: S3Client;
  let work: string;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['models'] });
    client = new S3Client(s3ClientConfig(server.endpoint));
    work = await mkdtemp(join(tmpdir(), 'mlactions-s3-checksum-'));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const open = () =>
    openStore('s3://models/reg', {
      cwd: work,
      now: steppingClock(),
      s3: { clientConfig: s3ClientConfig(server.endpoint), partSize: 5 * MiB },
    });
  const blobKey = (sha256: string) => `reg/blobs/sha256/${sha256}`;
  /** The GETs of stored blobs the server received since `since` requests. */
  const blobReads = (since: number) =>
    server.requests.slice(since).filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
  const put = (sha256: string, body: Uint8Array, checksum: boolean) =>
    client.send(
      new PutObjectCommand({
        Bucket: 'models',
        Key: blobKey(sha256),
        Body: body,
        ...(checksum ? { ChecksumAlgorithm: 'SHA256' as const } : {}),
      }),
    );

  it('skips a single-part and a multipart blob whose checksums match, reading neither back', async () => {
    await writeFile(join(work, 'small.bin'), randomBytes(40_000));
    const largeSha = await writeLargeFile(join(work, 'large.bin'), 11); // parts of 5, 5 and 1 MiB
    const first = await open().publish({ name: 'm', version: '1.0.0', files: ['small.bin', 'large.bin'] });
    expect(first).toMatchObject({ uploadedFiles: 2, skippedFiles: 0 });
    const smallSha = first.manifest.files.find((f) => f.path === 'small.bin')!.sha256;
    const stored = (sha256: string) =>
      client.send(new HeadObjectCommand({ Bucket: 'models', Key: blobKey(sha256), ChecksumMode: 'ENABLED' }));
    expect(await stored(smallSha)).toMatchObject({
      ChecksumSHA256: Buffer.from(smallSha, 'hex').toString('base64'),
      ChecksumType: 'FULL_OBJECT',
    });
    expect(await stored(largeSha)).toMatchObject({
      ChecksumSHA256: expect.stringMatching(/-3$/),
      ChecksumType: 'COMPOSITE',
    });

    const since = server.requests.length;
    const second = await open().publish({ name: 'm', version: '1.1.0', files: ['small.bin', 'large.bin'] });
    expect(second).toMatchObject({ uploadedFiles: 0, skippedFiles: 2, skippedBytes: 40_000 + 11 * MiB });
    expect(blobReads(since)).toEqual([]);
  });

  it('replaces a blob whose checksum is of other bytes without reading it, mending every version', async () => {
    const original = randomBytes(30_000);
    await writeFile(join(work, 'shared.bin'), original);
    const { manifest } = await open().publish({ name: 'bad', version: '1.0.0', files: ['shared.bin'] });
    const sha256 = manifest.files[0]!.sha256;
    const flipped = Buffer.from(original);
    flipped[7] = flipped[7]! ^ 0xff;
    // Other bytes under the blob's name, written with their own (correct) checksum.
    await put(sha256, flipped, true);

    const since = server.requests.length;
    const next = await open().publish({ name: 'bad', version: '1.1.0', files: ['shared.bin'] });
    expect(next).toMatchObject({ uploadedFiles: 1, skippedFiles: 0, uploadedBytes: 30_000 });
    expect(blobReads(since)).toEqual([]);
    const out = join(work, 'out-bad');
    await open().fetch({ name: 'bad', version: '1.0.0', out });
    expect(await readFile(join(out, 'shared.bin'))).toEqual(original);
  });

  it('reads back a blob stored without a checksum, or cut in other parts, and skips it when its bytes match', async () => {
    // As an older publish left them: the same bytes without a checksum, and a multipart upload whose
    // parts (6 MiB) are not this store's (5 MiB).
    const plain = randomBytes(20_000);
    await writeFile(join(work, 'plain.bin'), plain);
    const plainSha = createHash('sha256').update(plain).digest('hex');
    await put(plainSha, plain, false);
    const cutSha = await writeLargeFile(join(work, 'cut.bin'), 11);
    await new Upload({
      client,
      params: {
        Bucket: 'models',
        Key: blobKey(cutSha),
        Body: createReadStream(join(work, 'cut.bin')),
        ChecksumAlgorithm: 'SHA256',
      },
      partSize: 6 * MiB,
    }).done();

    const since = server.requests.length;
    const published = await open().publish({
      name: 'old',
      version: '1.0.0',
      files: ['plain.bin', 'cut.bin'],
    });
    expect(published).toMatchObject({ uploadedFiles: 0, skippedFiles: 2 });
    expect(
      blobReads(since)
        .map((r) => r.path)
        .sort(),
    ).toEqual([`/models/${blobKey(plainSha)}`, `/models/${blobKey(cutSha)}`].sort());
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
    const digest = await writeLargeFile(join(work, 'model.bin'), 25);
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
    expect(retried.uploadedBytes).toBe(25 * MiB);
    const out = join(work, 'out');
    await open().fetch({ name: 'fault', version: '1.0.0', out });
    expect(await sha256File(join(out, 'model.bin'))).toBe(digest);
    expect(await readdir(out)).toEqual(['model.bin']);
    await server.stop();
  });
});
