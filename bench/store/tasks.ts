// The measured side of bench/store/run.mjs, bundled to dist/tasks.mjs. Each invocation does one thing in
// a fresh process and prints one JSON line: {"seconds", "cpuSeconds", "maxRssMiB"} (plus a digest where it
// has one).
//
//   tasks.mjs server                         starts the local S3 server; prints {"endpoint"}, runs until killed
//   tasks.mjs plain-upload <endpoint> <file> <key>
//   tasks.mjs plain-download <endpoint> <key> <out>
//   tasks.mjs publish <endpoint> <file> <prefix>
//   tasks.mjs fetch <endpoint> <prefix> <out>
//   tasks.mjs hash <file>
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashFile } from '../../packages/store/src/hash.ts';
import { createS3Client, openStore } from '../../packages/store/src/index.ts';
import { DEFAULT_S3_PART_SIZE, DEFAULT_S3_QUEUE_SIZE } from '../../packages/store/src/s3-store.ts';
import { s3ClientConfig, startS3Server } from '../../test/harness/s3-server.ts';
import { measure } from '../lib/measure.ts';

const BUCKET = 'bench';

// The peers use the very SDK the store depends on; bench/ is no workspace package, so it is loaded from
// the store's dependencies (this file runs as bench/store/dist/tasks.mjs).
const fromStore = createRequire(new URL('../../../packages/store/package.json', import.meta.url));
const { Upload } = fromStore('@aws-sdk/lib-storage') as {
  Upload: new (options: {
    client: unknown;
    params: { Bucket: string; Key: string; Body: Readable; ContentLength: number };
    partSize: number;
    queueSize: number;
  }) => { done(): Promise<unknown> };
};
const { GetObjectCommand } = fromStore('@aws-sdk/client-s3') as {
  GetObjectCommand: new (input: { Bucket: string; Key: string }) => Parameters<S3Client['send']>[0];
};
type S3Client = ReturnType<typeof createS3Client>;

const store = (endpoint: string, prefix: string) =>
  openStore(`s3://${BUCKET}/${prefix}`, { s3: { clientConfig: s3ClientConfig(endpoint) } });

const [task, ...args] = process.argv.slice(2);
switch (task) {
  case 'server': {
    const server = await startS3Server({ buckets: [BUCKET] });
    process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
    const stop = () => server.stop().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    break;
  }
  case 'plain-upload': {
    const [endpoint, file, key] = args as [string, string, string];
    const client = createS3Client({ clientConfig: s3ClientConfig(endpoint) });
    // The same part size and parallelism as the store uses.
    await measure(async () => {
      await new Upload({
        client,
        params: {
          Bucket: BUCKET,
          Key: key,
          Body: createReadStream(file),
          ContentLength: statSync(file).size,
        },
        partSize: DEFAULT_S3_PART_SIZE,
        queueSize: DEFAULT_S3_QUEUE_SIZE,
      }).done();
      return undefined;
    });
    client.destroy();
    break;
  }
  case 'plain-download': {
    const [endpoint, key, out] = args as [string, string, string];
    const client = createS3Client({ clientConfig: s3ClientConfig(endpoint) });
    await measure(async () => {
      const got = (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))) as {
        Body?: unknown;
      };
      await pipeline(got.Body as Readable, createWriteStream(out));
      return undefined;
    });
    client.destroy();
    break;
  }
  case 'publish': {
    const [endpoint, file, prefix] = args as [string, string, string];
    await measure(async () => {
      const result = await store(endpoint, prefix).publish({
        name: 'bench',
        version: '1.0.0',
        files: [file],
      });
      return { sha256: result.manifest.files[0]!.sha256, uploadedBytes: result.uploadedBytes };
    });
    break;
  }
  case 'fetch': {
    const [endpoint, prefix, out] = args as [string, string, string];
    await measure(async () => {
      const result = await store(endpoint, prefix).fetch({ name: 'bench', version: '1.0.0', out });
      return { bytes: result.bytes, file: basename(result.written[0]!) };
    });
    break;
  }
  case 'hash': {
    const [file] = args as [string];
    await measure(async () => ({ sha256: (await hashFile(file)).sha256 }));
    break;
  }
  default:
    throw new Error(`unknown task ${task}`);
}
