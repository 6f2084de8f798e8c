// A local S3-compatible server for end-to-end tests: s3rver on 127.0.0.1, a random port, a fresh temp
// directory per server (or a given one, kept across a stop and a start to interrupt an upload and
// retry it against what the server kept), spoken to by the real AWS SDK v3.
//
// What the current SDK needs to talk to s3rver 3.7 (checked by test/s3-server.test.ts):
// - requestChecksumCalculation / responseChecksumValidation 'WHEN_REQUIRED'. Since 3.729 the SDK sends
//   a streamed body (a file stream, the way a store uploads) as `aws-chunked` with a CRC32 trailer;
//   s3rver predates that encoding and would store the chunk framing (`3e8\r\n...`) as the object's
//   bytes, so the harness refuses such a body (501). Buffers go out plain (lib-storage sends its parts
//   as buffers, with a SHA-256 header when asked for one). The environment variables
//   AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION do the same for a child process.
// - forcePathStyle: the SDK falls back to path-style addressing by itself only for IP-address
//   endpoints; `<bucket>.localhost` would not reach s3rver.
// - Credentials S3RVER / S3RVER: s3rver checks signatures (v2 and v4) against that pair.
// s3ClientConfig() and s3Env() below carry exactly these settings.
//
// s3rver keeps no SHA-256 checksums; s3-checksums.ts adds them as S3 keeps them, and logs requests.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KoaContext, type S3Request, s3Checksums } from './s3-checksums.ts';

/** The parts of s3rver's class this module uses (the package ships no types). */
interface S3rverInstance {
  /** Koa's middleware list, composed when the server starts listening. */
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

/** The access key pair s3rver accepts. */
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3ServerOptions {
  /** Buckets that exist when the server starts. */
  buckets?: string[];
  /** Where s3rver keeps objects; a fresh temp directory by default. */
  directory?: string;
  /** Leave the directory in place on stop(), so that start() carries on over what it holds. */
  keepDirectory?: boolean;
}

export interface S3Server {
  /** http://127.0.0.1:<port> — pass as `endpoint` to S3Client or `--endpoint` to the CLI. */
  endpoint: string;
  port: number;
  /** Where s3rver keeps objects (removed by stop() unless keepDirectory). */
  directory: string;
  region: string;
  credentials: typeof S3_CREDENTIALS;
  /** Every request received so far, oldest first (across a stop and a start). */
  requests: readonly S3Request[];
  /** Drops every connection, stops listening and removes the directory unless keepDirectory. */
  stop(): Promise<void>;
  /** Listens again, on the same port over the same directory, after stop() with keepDirectory. */
  start(): Promise<void>;
}

/** S3Client settings that make the current AWS SDK v3 work against an s3rver endpoint. */
export function s3ClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...S3_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

/** Environment for a process (an action run, the CLI) that should reach this server through the SDK. */
export function s3Env(server: Pick<S3Server, 'endpoint' | 'region' | 'credentials'>): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: server.region,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}

/** Starts s3rver on 127.0.0.1 at a random port in a fresh temp directory (or options.directory). */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'mlactions-s3-')));
  const removeDirectory = () =>
    options.keepDirectory ? Promise.resolve() : rm(directory, { recursive: true, force: true });
  let server: S3rverInstance | undefined;
  let port = 0;
  // Kept across a stop and a start, as the objects they describe are.
  const checksums = s3Checksums();
  const start = async () => {
    if (server) throw new Error(`the S3 server on port ${port} is running already`);
    if (port !== 0 && !options.keepDirectory) {
      throw new Error('the S3 server removed its directory on stop; start it with keepDirectory to restart');
    }
    const starting = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
    });
    // First, so that it sees every request and the bodies before s3rver reads them.
    starting.middleware.unshift(checksums.middleware);
    port = (await starting.run()).port;
    server = starting;
  };
  try {
    await start();
  } catch (error) {
    await removeDirectory();
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    region: 'us-east-1',
    credentials: S3_CREDENTIALS,
    requests: checksums.requests,
    async stop() {
      // The SDK keeps connections alive; close them so close() does not wait for their idle timeout.
      server?.httpServer?.closeAllConnections();
      await server?.close();
      server = undefined;
      await removeDirectory();
    },
    start,
  };
}
