import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextBatch, ValueBatch } from '../src/batch.ts';
import { fileSource } from '../src/sources.ts';
import { batchesOf, memorySource, rowsOf, userErrorOf } from './helpers/data.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('CSV errors name the file and the line', () => {
  it('counts lines, not records: a quoted line break and blank lines move the line on', async () => {
    const text = 'a,b\n"x\ny",1\n\n1,2,3\n';
    expect(await userErrorOf(rowsOf(memorySource('x.csv', text)))).toBe(
      'x.csv:5: the row has more fields than the header (2); quote a field that holds the delimiter',
    );
    expect(await userErrorOf(rowsOf(memorySource('x.csv', 'a,b\n1,2\n1,"open\n')))).toBe(
      'x.csv:3: a quoted field is never closed; close it with a double quote',
    );
  });

  it('refuses a header that names a column twice, naming both positions', async () => {
    expect(await userErrorOf(rowsOf(memorySource('d.csv', 'a,b, a\n1,2,3\n')))).toBe(
      'd.csv:1: column "a" is named twice (columns 1 and 3); give each column its own name',
    );
  });

  it('refuses bytes that are not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    for (const chunk of [3, 64 * 1024]) {
      expect(await userErrorOf(rowsOf(memorySource('u.csv', bytes, chunk)))).toBe(
        'u.csv:3: not valid UTF-8; save the file as UTF-8',
      );
    }
  });

  it('tells each row its line', async () => {
    const [batch] = (await batchesOf(memorySource('l.csv', 'a\n1\n\n"2\n"\n3\n'))) as TextBatch[];
    expect(Array.from(batch!.lines.subarray(0, batch!.rows))).toEqual([2, 4, 6]);
  });
});

describe('short rows', () => {
  it('leave the absent fields missing, with no number read for them', async () => {
    const batches = (await batchesOf(memorySource('s.csv', 'a,b\n1,2\n3\n'))) as TextBatch[];
    const batch = batches[0]!;
    expect(batch.starts[3]).toBe(-1);
    expect(batch.numbers[3]).toBeNaN();
  });
});

describe('JSON Lines errors', () => {
  it('refuse bytes that are not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xc3]), Buffer.from('"}\n')]);
    expect(await userErrorOf(rowsOf(memorySource('u.jsonl', bytes)))).toBe(
      'u.jsonl:2: not valid UTF-8; save the file as UTF-8',
    );
  });

  it('name the line of a bad row as file:line', async () => {
    expect(await userErrorOf(rowsOf(memorySource('d.jsonl', '{"a":1}\n{oops}\n')))).toMatch(
      /^d\.jsonl:2: not valid JSON/,
    );
  });
});

describe('Parquet', () => {
  it('reads a large row group a window of rows at a time, every row once', async () => {
    const n = 150_000;
    const buffer = parquetWriteBuffer({
      columnData: [{ name: 'x', data: Float64Array.from({ length: n }, (_, i) => i), type: 'DOUBLE' }],
      rowGroupSize: n,
    });
    const path = join(dir, 'large-group.parquet');
    await writeFile(path, Buffer.from(buffer));
    const batches = await batchesOf(fileSource(path));
    expect(batches.map((b) => b.rows)).toEqual([65_536, 65_536, 18_928]);
    let expected = 0;
    for (const batch of batches) {
      const values = (batch as ValueBatch).columns[0]!;
      for (let r = 0; r < batch.rows; r++) if (values[r] !== expected++) expect.fail(`row ${expected - 1}`);
    }
    expect(expected).toBe(n);
  });

  it('turns a damaged page into one error naming the file', async () => {
    const buffer = Buffer.from(
      parquetWriteBuffer({
        columnData: [{ name: 'x', data: Float64Array.from({ length: 2000 }, (_, i) => i), type: 'DOUBLE' }],
      }),
    );
    // Overwrite the data pages, leaving the magic number and the footer whole.
    buffer.fill(0xab, 40, buffer.length >> 1);
    const path = join(dir, 'damaged.parquet');
    await writeFile(path, buffer);
    expect(await userErrorOf(rowsOf(fileSource(path)))).toMatch(
      new RegExp(`^${path.replaceAll('.', '\\.')}: the Parquet data is damaged \\(`),
    );
  });
});
