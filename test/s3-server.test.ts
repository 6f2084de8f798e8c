import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, startS3Server } from './harness/s3-server.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('local S3 server', () => {
  let server: S3Server;
  let client: S3Client;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['models'] });
    client = new S3Client(s3ClientConfig(server.endpoint));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('listens on 127.0.0.1 at a random port', () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('stores and returns an object with its metadata', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: 'models',
        Key: 'iris/1.0.0/manifest.json',
        Body: '{"name":"iris"}',
        ContentType: 'application/json',
        Metadata: { sha256: 'abc' },
      }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: 'models', Key: 'iris/1.0.0/manifest.json' }),
    );
    expect(await got.Body?.transformToString()).toBe('{"name":"iris"}');
    expect(got.ContentType).toBe('application/json');
    expect(got.Metadata).toEqual({ sha256: 'abc' });

    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: 'iris/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['iris/1.0.0/manifest.json']);
  });

  it('stores a streamed body as its bytes, not as aws-chunked framing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlactions-s3-test-'));
    try {
      const body = randomBytes(100_000);
      await writeFile(join(dir, 'model.onnx'), body);
      await client.send(
        new PutObjectCommand({
          Bucket: 'models',
          Key: 'streamed/model.onnx',
          Body: createReadStream(join(dir, 'model.onnx')),
          ContentLength: body.length,
        }),
      );
      const got = await client.send(new GetObjectCommand({ Bucket: 'models', Key: 'streamed/model.onnx' }));
      const bytes = await got.Body?.transformToByteArray();
      expect(bytes?.length).toBe(body.length);
      expect(sha256(bytes ?? new Uint8Array())).toBe(sha256(body));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an aws-chunked body (a client left at its default checksums) instead of storing its framing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlactions-s3-test-'));
    const chunking = new S3Client({
      ...s3ClientConfig(server.endpoint),
      requestChecksumCalculation: 'WHEN_SUPPORTED',
    });
    try {
      await writeFile(join(dir, 'model.onnx'), randomBytes(1000));
      await expect(
        chunking.send(
          new PutObjectCommand({
            Bucket: 'models',
            Key: 'chunked/model.onnx',
            Body: createReadStream(join(dir, 'model.onnx')),
            ContentLength: 1000,
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotImplemented', message: expect.stringMatching(/aws-chunked/) });
      await expect(
        client.send(new HeadObjectCommand({ Bucket: 'models', Key: 'chunked/model.onnx' })),
      ).rejects.toMatchObject({ name: 'NotFound' });
    } finally {
      chunking.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing object as NotFound', async () => {
    await expect(
      client.send(new HeadObjectCommand({ Bucket: 'models', Key: 'absent' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('takes a multipart upload through lib-storage and returns it intact', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    const parts: number[] = [];
    const upload = new Upload({
      client,
      params: { Bucket: 'models', Key: 'iris/1.0.0/model.onnx', Body: body },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    upload.on('httpUploadProgress', (p) => {
      if (p.part !== undefined) parts.push(p.part);
    });
    await upload.done();
    expect(parts.sort()).toEqual([1, 2, 3]);

    const got = await client.send(new GetObjectCommand({ Bucket: 'models', Key: 'iris/1.0.0/model.onnx' }));
    const bytes = await got.Body?.transformToByteArray();
    expect(bytes?.length).toBe(body.length);
    expect(sha256(bytes ?? new Uint8Array())).toBe(sha256(body));
  });
});

describe('local S3 server: SHA-256 checksums, as S3 keeps them', () => {
  let server: S3Server;
  let client: S3Client;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['models'] });
    client = new S3Client(s3ClientConfig(server.endpoint));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  const digest = (data: Uint8Array) => createHash('sha256').update(data).digest();
  const head = (Key: string, checksums = true) =>
    client.send(
      new HeadObjectCommand({ Bucket: 'models', Key, ...(checksums ? { ChecksumMode: 'ENABLED' } : {}) }),
    );

  it('checks a PUT against its checksum, keeps it, and returns it when asked', async () => {
    const body = randomBytes(5000);
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'models', Key: 'sums/one', Body: body, ChecksumAlgorithm: 'SHA256' }),
    );
    expect(put.ChecksumSHA256).toBe(digest(body).toString('base64'));
    expect(await head('sums/one')).toMatchObject({
      ChecksumSHA256: digest(body).toString('base64'),
      ChecksumType: 'FULL_OBJECT',
    });
    expect((await head('sums/one', false)).ChecksumSHA256).toBeUndefined();
  });

  it('refuses a body that does not match its checksum (BadDigest) and stores nothing', async () => {
    await expect(
      client.send(
        new PutObjectCommand({
          Bucket: 'models',
          Key: 'sums/bad',
          Body: 'these bytes',
          ChecksumSHA256: digest(Buffer.from('other bytes')).toString('base64'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    await expect(head('sums/bad')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it("gives a multipart upload with SHA-256 parts S3's composite checksum, of the parts' digests", async () => {
    const body = randomBytes(11 * 1024 * 1024);
    const partSize = 5 * 1024 * 1024;
    await new Upload({
      client,
      params: { Bucket: 'models', Key: 'sums/multipart', Body: body, ChecksumAlgorithm: 'SHA256' },
      partSize,
      queueSize: 2,
    }).done();
    const parts = [0, 1, 2].map((i) => digest(body.subarray(i * partSize, (i + 1) * partSize)));
    expect(await head('sums/multipart')).toMatchObject({
      ChecksumSHA256: `${digest(Buffer.concat(parts)).toString('base64')}-3`,
      ChecksumType: 'COMPOSITE',
      ContentLength: body.length,
    });
  });

  it('has no checksum for an object overwritten without one, and logs each request', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: 'models',
        Key: 'sums/over',
        Body: 'first',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await client.send(new PutObjectCommand({ Bucket: 'models', Key: 'sums/over', Body: 'second' }));
    const before = server.requests.length;
    expect((await head('sums/over')).ChecksumSHA256).toBeUndefined();
    expect(server.requests.slice(before)).toEqual([
      { method: 'HEAD', path: '/models/sums/over', query: expect.any(String) },
    ]);
  });
});

describe('local S3 server stopped and started again', () => {
  it('keeps its directory with keepDirectory and serves what it held on the same port', async () => {
    const work = await mkdtemp(join(tmpdir(), 'mlactions-s3-restart-'));
    const directory = join(work, 'data');
    const server = await startS3Server({ buckets: ['models'], directory, keepDirectory: true });
    const client = new S3Client(s3ClientConfig(server.endpoint));
    try {
      await client.send(new PutObjectCommand({ Bucket: 'models', Key: 'kept', Body: 'still here' }));
      await server.stop();
      await expect(client.send(new HeadObjectCommand({ Bucket: 'models', Key: 'kept' }))).rejects.toThrow();
      await server.start();
      const got = await client.send(new GetObjectCommand({ Bucket: 'models', Key: 'kept' }));
      expect(await got.Body?.transformToString()).toBe('still here');
    } finally {
      client.destroy();
      await server.stop();
      await rm(work, { recursive: true, force: true });
    }
  });

  it('removes its directory on stop by default, and then refuses to start again', async () => {
    const server = await startS3Server();
    await server.stop();
    await expect(readdir(server.directory)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(server.start()).rejects.toThrow(/keepDirectory/);
  });
});
