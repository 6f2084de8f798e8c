/**
 * Data in S3 for validate, the gate and the drift check, named by URI: `s3://<bucket>/<key>` (one
 * object), `s3://<bucket>/<prefix>/` (the data objects directly under the prefix), or a key pattern
 * in the project's one glob dialect (core's glob.ts: `*` and `?` within a segment, `**\/` across
 * segments). Objects are streamed with GetObject; Parquet reads its footer and row groups with
 * ranged GETs rather than downloading the whole object.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { globMatcher, isGlobPattern, UserError } from '@mlactions/core';
import { type DataSource, formatFromName, type RandomAccess, type RemoteSources } from '@mlactions/data';
import { createS3Client, type S3Options } from './open-store.ts';
import { explainS3Error } from './s3-store.ts';
import { isBucketName } from './uri.ts';

/** Bucket and key (or key pattern) of an `s3://` data URI. */
export function parseS3DataUri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  const bucket = match?.[1] ?? '';
  if (!match || !isBucketName(bucket) || match[2] === '') {
    throw new UserError(
      `Invalid S3 data URI ${JSON.stringify(uri)}: use s3://<bucket>/<key>, s3://<bucket>/<prefix>/ or a key pattern such as s3://<bucket>/data/*.csv.`,
    );
  }
  return { bucket, key: match[2]! };
}

async function listKeys(client: S3Client, bucket: string, prefix: string, uri: string): Promise<string[]> {
  const keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
  } catch (error) {
    throw explainS3Error(error, bucket, prefix);
  }
  if (keys.length === 0) throw new UserError(`No object matches ${uri}; check the bucket and the key`);
  return keys.sort();
}

function objectSource(client: S3Client, bucket: string, key: string): DataSource {
  const name = `s3://${bucket}/${key}`;
  // GetObject says NoSuchKey, HeadObject (no body) NotFound; the rest as the store explains it.
  const failure = (error: unknown) =>
    ['NoSuchKey', 'NotFound'].includes((error as Error).name)
      ? new UserError(`No such object: ${name}`)
      : explainS3Error(error, bucket, key);
  const get = async (range?: string) => {
    try {
      const got = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }),
      );
      return got.Body as AsyncIterable<Uint8Array> & { transformToByteArray(): Promise<Uint8Array> };
    } catch (error) {
      throw failure(error);
    }
  };
  return {
    name,
    open: () => get(),
    async randomAccess(): Promise<RandomAccess> {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error) => {
        throw failure(error);
      });
      const size = head.ContentLength ?? 0;
      return {
        byteLength: size,
        read: async (start, end) =>
          start >= end ? new Uint8Array(0) : (await get(`bytes=${start}-${end - 1}`)).transformToByteArray(),
      };
    },
  };
}

/** The data sources an `s3://` URI names (see the module notes), in key order. */
export async function s3DataSources(client: S3Client, uri: string): Promise<DataSource[]> {
  const { bucket, key } = parseS3DataUri(uri);
  if (isGlobPattern(key)) {
    const pattern = globMatcher(key);
    const keys = (await listKeys(client, bucket, pattern.base, uri)).filter(pattern.matches);
    if (keys.length === 0) throw new UserError(`No object matches ${uri}; check the pattern`);
    return keys.map((k) => objectSource(client, bucket, k));
  }
  if (key.endsWith('/')) {
    const keys = (await listKeys(client, bucket, key, uri)).filter(
      (k) => !k.slice(key.length).includes('/') && formatFromName(k) !== undefined,
    );
    if (keys.length === 0) {
      throw new UserError(`${uri} holds no .csv, .tsv, .jsonl or .parquet object (compressed or not)`);
    }
    return keys.map((k) => objectSource(client, bucket, k));
  }
  return [objectSource(client, bucket, key)];
}

/** Reads `s3://` data with one client, made on first use (the SDK's default credential chain). */
export function s3DataReader(options: S3Options = {}): RemoteSources {
  let client: S3Client | undefined;
  return (uri) => {
    client ??= createS3Client(options);
    return s3DataSources(client, uri);
  };
}
