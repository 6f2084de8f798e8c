import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { globMatcher } from '@mlactions/core';
import { checkDriftFiles, type DatasetProfile, profileFiles } from '@mlactions/drift';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, startS3Server } from '../../../test/harness/s3-server.ts';
import { parseS3DataUri, s3DataReader } from '../src/s3-data.ts';
import { userErrorOf } from './contract.ts';

describe('s3:// data URIs', () => {
  it('parse into a bucket and a key, and refuse what is not one', async () => {
    expect(parseS3DataUri('s3://data/weekly/a.csv')).toEqual({ bucket: 'data', key: 'weekly/a.csv' });
    for (const bad of ['s3://data', 's3://data/', 's3://Bad_Bucket/a.csv', 'file:///a.csv']) {
      expect(() => parseS3DataUri(bad)).toThrow(/^Invalid S3 data URI/);
    }
  });

  it("match key patterns in the one glob dialect: * and ? within a segment, **/ across segments, the rest as local paths' globs", () => {
    const week = globMatcher('weekly/*.csv');
    expect(week.base).toBe('weekly/');
    expect(week.matches('weekly/a.csv')).toBe(true);
    expect(week.matches('weekly/old/a.csv')).toBe(false);
    expect(week.matches('weekly/a.csv.gz')).toBe(false);
    expect(globMatcher('weekly/**/*.csv').matches('weekly/old/a.csv')).toBe(true);
    expect(globMatcher('weekly/**/*.csv').matches('weekly/a.csv')).toBe(true);
    // `**` inside a segment is `*`, as for local files: it does not cross `/`.
    expect(globMatcher('weekly/**.csv').matches('weekly/old/a.csv')).toBe(false);
    // Parentheses group and `\\` escapes, as in local patterns.
    expect(globMatcher('d?y.\\(1\\)+.csv').matches('day.(1)+.csv')).toBe(true);
    expect(globMatcher('d?y.\\(1\\)+.csv').matches('day.11+.csv')).toBe(false);
  });
});

/** Rows with a numeric, a categorical and a boolean column. */
function rows(n: number, shift: number): { x: number[]; c: string[]; b: boolean[] } {
  return {
    x: Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 100 + shift),
    c: Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][i % 3]!),
    b: Array.from({ length: n }, (_, i) => i % 4 === 0),
  };
}

const csv = ({ x, c, b }: ReturnType<typeof rows>) =>
  `x,c,b\n${x.map((v, i) => `${v},${c[i]},${b[i]}`).join('\n')}\n`;

const columnsOf = (profile: DatasetProfile) => profile.columns;

describe('s3:// data against a local S3 server', () => {
  let server: S3Server;
  let work: string;
  let read: ReturnType<typeof s3DataReader>;
  const first = rows(300, 0);
  const second = rows(200, 0.5);

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['data'] });
    work = await mkdtemp(join(tmpdir(), 'mlactions-s3-data-'));
    const client = new S3Client(s3ClientConfig(server.endpoint));
    const put = (key: string, body: string | Uint8Array) =>
      client.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: body }));
    await put('weekly/2026-11-02.csv', csv(first));
    await put('weekly/2026-11-09.csv.gz', gzipSync(csv(second)));
    await put('weekly/notes.txt', 'not data');
    await put('weekly/old/2026-10-26.csv', csv(rows(50, 9)));
    const all = { x: [...first.x, ...second.x], c: [...first.c, ...second.c], b: [...first.b, ...second.b] };
    await put(
      'train.parquet',
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'x', data: all.x, type: 'DOUBLE' },
            { name: 'c', data: all.c, type: 'STRING' },
            { name: 'b', data: all.b, type: 'BOOLEAN' },
          ],
          rowGroupSize: 128,
        }),
      ),
    );
    client.destroy();
    await writeFile(join(work, 'first.csv'), csv(first));
    await writeFile(join(work, 'second.csv.gz'), gzipSync(csv(second)));
    read = s3DataReader({ clientConfig: s3ClientConfig(server.endpoint) });
  });

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('takes one object, the data objects directly under a prefix, or the keys a pattern matches', async () => {
    const names = async (uri: string) => (await read(uri)).map((source) => source.name);
    expect(await names('s3://data/weekly/2026-11-02.csv')).toEqual(['s3://data/weekly/2026-11-02.csv']);
    expect(await names('s3://data/weekly/')).toEqual([
      's3://data/weekly/2026-11-02.csv',
      's3://data/weekly/2026-11-09.csv.gz',
    ]);
    expect(await names('s3://data/weekly/*.csv')).toEqual(['s3://data/weekly/2026-11-02.csv']);
    expect(await names('s3://data/weekly/**/*.csv')).toEqual([
      's3://data/weekly/2026-11-02.csv',
      's3://data/weekly/old/2026-10-26.csv',
    ]);
  });

  it('profiles objects (gzipped or not) as it profiles the same files on disk, Parquet by ranged reads', async () => {
    const local = await profileFiles(['first.csv', 'second.csv.gz'], { cwd: work });
    const remote = await profileFiles(['s3://data/weekly/'], { cwd: work, remote: read });
    expect(remote.rows).toBe(500);
    expect(columnsOf(remote)).toEqual(columnsOf(local));
    expect(remote.sources).toEqual(['s3://data/weekly/2026-11-02.csv', 's3://data/weekly/2026-11-09.csv.gz']);
    const parquet = await profileFiles(['s3://data/train.parquet'], { cwd: work, remote: read });
    const strip = (p: DatasetProfile) => p.columns.map(({ typeReason: _, ...rest }) => rest);
    expect(strip(parquet)).toEqual(strip(local));
  });

  it('checks drift between local and S3 data, sources named as given', async () => {
    const result = await checkDriftFiles({
      reference: ['first.csv'],
      current: ['s3://data/weekly/2026-11-09.csv.gz'],
      cwd: work,
      remote: read,
    });
    expect(result.report.current.sources).toEqual(['s3://data/weekly/2026-11-09.csv.gz']);
    expect(result.report.reference.sources).toEqual(['first.csv']);
  });

  it('names a missing object, a pattern or prefix without data, and a missing bucket', async () => {
    const profileOf = (uri: string) => profileFiles([uri], { cwd: work, remote: read });
    expect(await userErrorOf(profileOf('s3://data/weekly/nope.csv'))).toBe(
      'No such object: s3://data/weekly/nope.csv',
    );
    expect(await userErrorOf(profileOf('s3://data/weekly/*.parquet'))).toBe(
      'No object matches s3://data/weekly/*.parquet; check the pattern',
    );
    expect(await userErrorOf(profileOf('s3://data/nothing/'))).toBe(
      'No object matches s3://data/nothing/; check the bucket and the key',
    );
    expect(await userErrorOf(profileOf('s3://no-such-bucket/a.csv'))).toBe(
      'The S3 bucket no-such-bucket does not exist; create it or fix the URI.',
    );
    expect(await userErrorOf(profileFiles(['gs://data/a.csv'], { cwd: work, remote: read }))).toBe(
      'gs://data/a.csv: data is read from local paths and s3:// URIs only',
    );
  });
});
