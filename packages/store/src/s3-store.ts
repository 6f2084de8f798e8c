import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { explainingErrors, UserError } from '@mlactions/core';
import type { HashedFile } from './backend.ts';
import { hashFile } from './hash.ts';
import type { LocalFile } from './local-files.ts';
import type { ObjectStat, ObjectStore } from './object-store.ts';
import type { ByteCounter } from './progress.ts';

/**
 * Part size for multipart uploads. lib-storage buffers each part in memory, so 8 MiB parts, 4 in
 * parallel, keep a 1 GiB publish under 250 MB of peak RSS (bench/store) at full speed.
 */
export const DEFAULT_S3_PART_SIZE = 8 * 1024 * 1024;
/** Parts uploaded in parallel. */
export const DEFAULT_S3_QUEUE_SIZE = 4;
/** S3 allows 10,000 parts; stay below so part size grows with very large files. */
const MAX_PARTS = 9_000;
/** A lock older than this (by the server's clock) is a crashed writer's and is ignored. */
const LOCK_TTL_MS = 60_000;
/** Attempts to take a contended lock before giving up. */
const LOCK_ATTEMPTS = 10;

export interface S3StoreSettings {
  client: S3Client;
  bucket: string;
  /** Key prefix, empty or ending in `/`. */
  prefix: string;
  uri: string;
  partSize?: number;
  queueSize?: number;
  /** See createExclusive; true unless the server is known to honour `If-None-Match: *` on PUT. */
  lock?: boolean;
  /** Stops an upload when aborted (an interrupted publish), aborting its multipart upload. */
  signal?: AbortSignal | undefined;
}

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isNotFound = (error: unknown) =>
  statusOf(error) === 404 || ['NotFound', 'NoSuchKey'].includes((error as Error).name);

/**
 * Objects under an S3 prefix through the AWS SDK v3 (credentials from the SDK's default chain).
 *
 * Exclusive creates. AWS S3 (since 2024), MinIO, R2 and Ceph refuse a PUT with `If-None-Match: *`
 * when the key exists, and that is sent on every create. Servers that ignore the header (s3rver, older
 * releases of the others) would let the last writer win, so by default a create also takes a lock:
 * the writer puts `locks/<sha256 of key>/<random id>`, lists that folder, and proceeds only if its own
 * lock is the only live one; it then checks the key is still absent, writes it and removes its lock.
 * Any two writers, A listing before B: if A saw no other lock, B's lock came after A's listing, and so
 * after A's lock, which B's listing then shows, so B backs off. Hence at most one writer proceeds at a
 * time (contenders retry after a random pause), given the read-after-write and list-after-write
 * consistency that AWS S3, MinIO and s3rver provide, and given a holder finishes within the lock's
 * 60-second lifetime (it holds the lock for one HEAD and one small PUT). Locks left by crashed writers
 * expire by the server's clock, so clients' clocks do not matter.
 */
export class S3Store implements ObjectStore {
  readonly uri: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly lock: boolean;
  private readonly signal: AbortSignal | undefined;

  constructor(settings: S3StoreSettings) {
    this.client = settings.client;
    this.bucket = settings.bucket;
    this.prefix = settings.prefix;
    this.uri = settings.uri;
    this.partSize = settings.partSize ?? DEFAULT_S3_PART_SIZE;
    this.queueSize = settings.queueSize ?? DEFAULT_S3_QUEUE_SIZE;
    this.lock = settings.lock ?? true;
    this.signal = settings.signal;
  }

  /** Runs one SDK call, turning errors a user can fix into UserErrors that name the bucket and key. */
  private call<T>(key: string, run: () => Promise<T>): Promise<T> {
    return explainingErrors(run, (error) => explainS3Error(error, this.bucket, this.prefix + key));
  }

  /** An SDK call whose "no such key" means absent: undefined rather than an error. */
  private async unlessMissing<T>(key: string, send: () => Promise<T>): Promise<T | undefined> {
    return this.call(key, async () => {
      try {
        return await send();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.stat(key))?.size;
  }

  async stat(key: string): Promise<ObjectStat | undefined> {
    const head = await this.unlessMissing(key, () =>
      this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), {
        abortSignal: this.signal,
      }),
    );
    return head && { key, size: head.ContentLength ?? 0, modified: head.LastModified?.getTime() ?? 0 };
  }

  /**
   * By the SHA-256 checksum S3 keeps with the object (it checked the bytes against it when they were
   * written, and upload() sends one): a single PUT's is the file's sha256; a multipart upload's is
   * S3's composite of its parts' digests, which is compared when the object was cut in the parts this
   * store cuts (the local file is hashed part by part for it). Undefined, so the object is read back,
   * for an object without one (written by an older publish, or a server that keeps none) and for a
   * multipart object cut otherwise.
   */
  async matchesStoredChecksum(key: string, file: HashedFile): Promise<boolean | undefined> {
    const head = await this.unlessMissing(key, () =>
      this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, ChecksumMode: 'ENABLED' }),
        { abortSignal: this.signal },
      ),
    );
    if (head?.ContentLength !== file.size) return false;
    const stored = head.ChecksumSHA256;
    if (stored === undefined) return undefined;
    const [digest, parts] = stored.split('-');
    if (parts === undefined) return digest === Buffer.from(file.sha256, 'hex').toString('base64');
    const partSize = this.partSizeFor(file.size);
    if (Number(parts) !== Math.ceil(file.size / partSize)) return undefined;
    const local = await hashFile(file.source, () => {}, { partSize, signal: this.signal });
    // A file changed since it was hashed is not this blob's content; upload() then says it changed.
    if (local.sha256 !== file.sha256) return false;
    return compositeChecksum(local.parts ?? []) === stored ? true : undefined;
  }

  /** The part size of a multipart upload of `size` bytes. */
  private partSizeFor(size: number): number {
    return Math.max(this.partSize, Math.ceil(size / MAX_PARTS));
  }

  async read(key: string): Promise<Readable | undefined> {
    const got = await this.unlessMissing(key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), {
        abortSignal: this.signal,
      }),
    );
    return got?.Body as Readable | undefined;
  }

  /**
   * Streams a file up with lib-storage's Upload: parallel parts for large files, a single PUT for small
   * ones. A multipart upload becomes an object only when completed, so an interrupted one leaves the
   * key as it was. Its parts are aborted before this returns when the upload fails or the signal
   * fires (a bucket lifecycle rule AbortIncompleteMultipartUpload clears those of a killed process).
   */
  async upload(key: string, file: LocalFile, onBytes: ByteCounter): Promise<void> {
    this.signal?.throwIfAborted();
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: createReadStream(file.source, { highWaterMark: 1 << 20 }),
        ContentLength: file.size,
        // S3 checks each part (or the single PUT) against its SHA-256 and keeps the checksum, by
        // which a later publish knows the blob is intact without reading it (matchesStoredChecksum).
        ChecksumAlgorithm: 'SHA256',
      },
      partSize: this.partSizeFor(file.size),
      queueSize: this.queueSize,
    });
    let sent = 0;
    upload.on('httpUploadProgress', (progress) => {
      const loaded = progress.loaded ?? sent;
      onBytes(loaded - sent);
      sent = loaded;
    });
    const stop = () => void upload.abort();
    this.signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.call(key, () => upload.done());
    } catch (error) {
      await this.abortParts(key, upload);
      throw error;
    } finally {
      this.signal?.removeEventListener('abort', stop);
    }
  }

  /**
   * Aborts the multipart upload a failed or interrupted Upload opened. lib-storage's done() rejects
   * as soon as it is aborted, without waiting for its parts (which it sends without the abort signal)
   * or aborting the upload itself, so the upload id is taken from its create call and aborted here.
   */
  private async abortParts(key: string, upload: Upload): Promise<void> {
    const internals = upload as unknown as { createMultiPartPromise?: Promise<{ UploadId?: string }> };
    const created = await internals.createMultiPartPromise?.catch(() => undefined);
    if (!created?.UploadId) return;
    await this.client
      .send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          UploadId: created.UploadId,
        }),
      )
      .catch(() => {});
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    if (!this.lock) return this.putIfNoneMatch(key, body);
    const lockFolder = `locks/${createHash('sha256').update(key).digest('hex')}/`;
    for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt += 1) {
      if ((await this.size(key)) !== undefined) return false;
      const own = `${lockFolder}${randomUUID()}`;
      await this.call(own, () =>
        this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + own, Body: '', ContentLength: 0 }),
        ),
      );
      try {
        if (await this.holdsOnlyLiveLock(lockFolder, own)) {
          if ((await this.size(key)) !== undefined) return false;
          return await this.putIfNoneMatch(key, body);
        }
      } finally {
        await this.remove(own).catch(() => {});
      }
      await sleep(50 + Math.random() * 200 * attempt);
    }
    throw new UserError(
      `Another writer kept ${this.uri} ${key} locked through ${LOCK_ATTEMPTS} attempts; try again in a minute.`,
    );
  }

  private async holdsOnlyLiveLock(lockFolder: string, own: string): Promise<boolean> {
    const locks = await this.listWithTimes(lockFolder);
    const ownTime = locks.get(this.prefix + own);
    if (ownTime === undefined) return false;
    for (const [key, time] of locks) {
      if (key !== this.prefix + own && ownTime - time < LOCK_TTL_MS) return false;
    }
    return true;
  }

  private async putIfNoneMatch(key: string, body: string): Promise<boolean> {
    return this.call(key, async () => {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.prefix + key,
            Body: body,
            ContentType: 'application/json',
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (error) {
        // 412: the key exists. 409: a concurrent conditional write to the key is in flight and will win.
        if (statusOf(error) === 412 || statusOf(error) === 409) return false;
        throw error;
      }
    });
  }

  async remove(key: string): Promise<void> {
    await this.call(key, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })),
    );
  }

  /** Objects under a prefix (full keys, with the store's prefix) with their sizes and times. */
  private async listObjects(prefix: string): Promise<ObjectStat[]> {
    return this.call(prefix, async () => {
      const found: ObjectStat[] = [];
      const pages = paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: this.prefix + prefix },
      );
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key) {
            found.push({
              key: object.Key,
              size: object.Size ?? 0,
              modified: object.LastModified?.getTime() ?? 0,
            });
          }
        }
      }
      return found;
    });
  }

  private async listWithTimes(prefix: string): Promise<Map<string, number>> {
    return new Map((await this.listObjects(prefix)).map((o) => [o.key, o.modified]));
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listStats(prefix)).map((o) => o.key);
  }

  async listStats(prefix: string): Promise<ObjectStat[]> {
    return (await this.listObjects(prefix))
      .map((o) => ({ ...o, key: o.key.slice(this.prefix.length) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** S3's checksum of a multipart object: the sha256 of its parts' digests, and the number of parts. */
function compositeChecksum(parts: Buffer[]): string {
  return `${createHash('sha256').update(Buffer.concat(parts)).digest('base64')}-${parts.length}`;
}

/** The user-fixable S3 failures, said plainly; anything else is returned as it is. */
export function explainS3Error(error: unknown, bucket: string, key: string): unknown {
  if (!(error instanceof Error) || error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const status = statusOf(error);
  const where = `s3://${bucket}/${key}`;
  if (error.name === 'NoSuchBucket') {
    return new UserError(`The S3 bucket ${bucket} does not exist; create it or fix the URI.`);
  }
  if (error.name === 'CredentialsProviderError' || error.message.includes('Could not load credentials')) {
    return new UserError(
      'No AWS credentials were found: in GitHub Actions run aws-actions/configure-aws-credentials first; ' +
        'elsewhere set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
  }
  if (error.message === 'Region is missing') {
    return new UserError(
      'No AWS region is set: set the AWS_REGION environment variable (in GitHub Actions, the aws-region ' +
        'input of aws-actions/configure-aws-credentials, which `mlactions init --aws-region` writes).',
    );
  }
  if (status === 403 || error.name === 'AccessDenied') {
    return new UserError(
      `Access to ${where} was denied (${error.name}); check the credentials' permissions.`,
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new UserError(`The S3 server for ${where} could not be reached (${code}: ${error.message}).`);
  }
  return error;
}
