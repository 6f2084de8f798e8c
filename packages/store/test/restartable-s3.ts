// An s3rver that can be stopped and started again on the same port and data directory, to interrupt
// an upload and then retry it against what the server kept. The shared harness (test/harness/s3-server.ts)
// removes its directory on stop; its client settings are reused here.

import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface RestartableS3 {
  endpoint: string;
  /** Drops every connection and stops listening; the directory stays. */
  stop(): Promise<void>;
  /** Listens again on the same port over the same directory. */
  start(): Promise<void>;
}

export async function startRestartableS3(directory: string, bucket: string): Promise<RestartableS3> {
  let server: S3rverInstance | undefined;
  let port = 0;
  const start = async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    });
    port = (await server.run()).port;
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      server?.httpServer?.closeAllConnections();
      await server?.close();
      server = undefined;
    },
    start,
  };
}
