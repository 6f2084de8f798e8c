import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3Server, s3ClientConfig, startS3Server } from '../../../test/harness/s3-server.ts';
import { openStore } from '../src/open-store.ts';

import { ageFiles } from './aging.ts';
import { sha256, storeContract } from './contract.ts';

storeContract('S3', async () => {
  const server: S3Server = await startS3Server({ buckets: ['models'] });
  const client = new S3Client(s3ClientConfig(server.endpoint));
  return {
    open: (options) =>
      openStore('s3://models/team/registry', {
        ...options,
        s3: { clientConfig: s3ClientConfig(server.endpoint) },
      }),
    async tamper(_store, manifest, path, bytes) {
      const file = manifest.files.find((f) => f.path === path)!;
      await client.send(
        new PutObjectCommand({
          Bucket: 'models',
          Key: `team/registry/blobs/sha256/${file.sha256}`,
          Body: bytes,
        }),
      );
    },
    deduplicates: true,
    clock: Date.now,
    // s3rver reports an object's file time as its LastModified.
    age: () => ageFiles(server.directory),
    async leaveUnfinished(_name, _version, bytes) {
      const key = `team/registry/blobs/sha256/${sha256(bytes)}`;
      await client.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: bytes }));
      return `blob ${sha256(bytes)}`;
    },
    async close() {
      client.destroy();
      await server.stop();
    },
  };
});
