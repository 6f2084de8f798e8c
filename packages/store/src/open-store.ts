import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { UserError } from '@mlactions/core';
import type { Backend } from './backend.ts';
import { FolderStore } from './folder-store.ts';
import { ReleaseBackend, type ReleaseClient } from './github-release.ts';
import { ObjectBackend } from './object-backend.ts';
import { S3Store } from './s3-store.ts';
import { ArtifactStore } from './store.ts';
import { parseStoreUri } from './uri.ts';

export interface S3Options {
  /** An S3-compatible server (MinIO, R2, Ceph, a local one); path-style addressing is then used. */
  endpoint?: string;
  /** By default the SDK's (AWS_REGION, the profile), or us-east-1 with an endpoint and none set. */
  region?: string;
  /** Defaults to true when an endpoint is given. */
  forcePathStyle?: boolean;
  /** Further S3Client settings (credentials, checksum behaviour, retries) laid over the above. */
  clientConfig?: S3ClientConfig;
  /** Multipart part size in bytes (default 8 MiB; grown for files over ~70 GiB to stay under 10,000 parts). */
  partSize?: number;
  /** Parts uploaded in parallel (default 4). */
  queueSize?: number;
  /**
   * Take a lock around exclusive creates (default true), for servers that ignore `If-None-Match: *`
   * on PUT; set false only for a server known to honour it (AWS S3, MinIO, R2). See S3Store.
   */
  lock?: boolean;
}

export interface GitHubReleaseOptions {
  /** An Octokit (e.g. createClient from @mlactions/github) with rights to write releases. */
  client: ReleaseClient;
  /** Largest asset; bigger files are split into parts (default just under GitHub's 2 GiB limit). */
  partSize?: number;
}

export interface OpenStoreOptions {
  /** Resolves `file://` relative directories and publish inputs (default: the process's cwd). */
  cwd?: string;
  /** Milliseconds since the epoch (default Date.now): times in manifests and alias entries, progress pacing. */
  now?: () => number;
  /** Least milliseconds between two progress reports (default 3000). */
  progressIntervalMs?: number;
  s3?: S3Options;
  /**
   * Interrupts the store's work (a CLI's SIGINT / SIGTERM): uploads, downloads and hashing stop,
   * what they had started is removed (temporary files, staging folders, multipart uploads), and no
   * version is committed after it fires.
   */
  signal?: AbortSignal;
  /** Hears warnings (entries of a store that are not versions); none by default. */
  warn?: (message: string) => void;
  /** Required for github-release:// stores. */
  github?: GitHubReleaseOptions;
}

/** Builds the S3 client: the SDK's default credential chain unless clientConfig gives credentials. */
export function createS3Client(options: S3Options = {}): S3Client {
  const region = options.region ?? (options.endpoint ? (process.env.AWS_REGION ?? 'us-east-1') : undefined);
  return new S3Client({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...options.clientConfig,
  });
}

function openBackend(uri: string, options: OpenStoreOptions, cwd: string): Backend {
  const location = parseStoreUri(uri, cwd);
  switch (location.kind) {
    case 'file':
      return new ObjectBackend(
        new FolderStore(location.dir, uri, {
          signal: options.signal,
          ...(options.now ? { now: options.now } : {}),
        }),
        options.signal,
      );
    case 's3':
      return new ObjectBackend(
        new S3Store({
          client: createS3Client(options.s3),
          bucket: location.bucket,
          prefix: location.prefix,
          uri,
          partSize: options.s3?.partSize,
          queueSize: options.s3?.queueSize,
          lock: options.s3?.lock,
          signal: options.signal,
        }),
        options.signal,
      );
    case 'github-release':
      if (!options.github) {
        throw new UserError(`The store ${uri} needs a GitHub token: set GITHUB_TOKEN or pass a token.`);
      }
      return new ReleaseBackend({ ...location, uri, ...options.github, signal: options.signal });
  }
}

/**
 * Opens the store a URI names: `file://<dir>`, `s3://<bucket>/<prefix>` or
 * `github-release://<owner>/<repo>`. Nothing is contacted until the first operation.
 */
export function openStore(uri: string, options: OpenStoreOptions = {}): ArtifactStore {
  const cwd = options.cwd ?? process.cwd();
  return new ArtifactStore(openBackend(uri, options, cwd), {
    cwd,
    now: options.now ?? Date.now,
    progressIntervalMs: options.progressIntervalMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
}
