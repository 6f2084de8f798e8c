import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RemoteSources } from '@mlactions/data';
import { s3DataReader } from '@mlactions/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, startS3Server } from '../../../test/harness/s3-server.ts';
import type { BaselineStore } from '../src/gate/gate.ts';
import { gateRequestFrom, runGate, type ValidationReport, validate } from '../src/index.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

/** A report without its latencies, which differ from run to run. */
function withoutLatency(report: ValidationReport): unknown {
  const metrics = Object.fromEntries(
    Object.entries(report.metrics).filter(([name]) => !name.startsWith('latency')),
  );
  return { ...report, metrics };
}

describe('validate and the gate read s3:// data', () => {
  let server: S3Server;
  let remote: RemoteSources;
  const options = {
    model: join(fixtures, 'multiclass.onnx'),
    label: 'species',
    slice: 'region',
    batchSize: 7,
  };

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['data'] });
    const client = new S3Client(s3ClientConfig(server.endpoint));
    const csv = await readFile(join(fixtures, 'multiclass.csv'));
    const put = (key: string, body: Uint8Array) =>
      client.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: body }));
    await put('val/multiclass.csv', csv);
    await put('weekly/2026-11/multiclass.csv.gz', gzipSync(csv));
    client.destroy();
    remote = s3DataReader({ clientConfig: s3ClientConfig(server.endpoint) });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('validates an object, or the keys a pattern matches, as it validates the same file on disk', async () => {
    const local = await validate({ ...options, data: join(fixtures, 'multiclass.csv') });
    const object = await validate({ ...options, data: 's3://data/val/multiclass.csv', remote });
    expect(withoutLatency(object.report)).toEqual(withoutLatency(local.report));
    const pattern = await validate({ ...options, data: 's3://data/weekly/**/*.csv.gz', remote });
    expect(withoutLatency(pattern.report)).toEqual(withoutLatency(local.report));
  });

  it('gates a model on s3:// data, the URI kept as it is (not taken for a path under the workspace)', async () => {
    const store: BaselineStore = {
      uri: 'none',
      show: () => Promise.reject(new Error('no store here')),
      aliasHistory: async () => [],
    };
    const request = gateRequestFrom(
      {
        rules: ['accuracy >= 0', 'rows >= 1'],
        model: 'multiclass.onnx',
        data: 's3://data/val/multiclass.csv',
        label: 'species',
        slice: 'region',
      },
      { cwd: fixtures, openStore: () => store, remote },
    );
    const outcome = await runGate(request);
    const local = await validate({ ...options, data: join(fixtures, 'multiclass.csv') });
    expect(outcome.passed).toBe(true);
    expect(outcome.metrics.get('rows')).toBe(local.report.rows);
    expect(outcome.metrics.get('accuracy')).toBe((local.report.metrics as { accuracy: number }).accuracy);
  });
});
