import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DataSource } from '@mlactions/data';
import { parquetWriteFile } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySource, userErrorOf } from '../../data/test/helpers/data.ts';
import { openTable, type ReadPlan } from '../src/evaluate/table.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validate-table-'));
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface Read {
  features: number[][];
  labels: (number | string | null)[];
  slices: (string | null)[];
  firstRows: number[];
}

async function readAll(
  data: string | DataSource,
  plan: Partial<ReadPlan> & Pick<ReadPlan, 'features' | 'label'>,
): Promise<Read> {
  const table = await openTable(typeof data === 'string' ? data : [data]);
  const out: Read = { features: [], labels: [], slices: [], firstRows: [] };
  try {
    for await (const batch of table.batches({ labelKind: 'string', batchSize: 2, ...plan })) {
      out.firstRows.push(batch.firstRow);
      const width = plan.features.length;
      for (let r = 0; r < batch.rows; r++) {
        out.features.push(Array.from(batch.features.subarray(r * width, (r + 1) * width)));
        const label = batch.labels[r]!;
        if (!batch.labelTexts) out.labels.push(label);
        else out.labels.push(label < 0 ? null : batch.labelTexts[label]!);
        if (batch.slices) out.slices.push(batch.slices[r]!);
      }
    }
  } finally {
    await table.close();
  }
  return out;
}

const TRICKY_CSV =
  '\ufeffid,"x, one",label,x2,group\r\n' +
  '1,0.5,"a ""quoted"" one",-2e3,g1\r\n' +
  '\r\n' +
  '2,,b,1.25,\r\n' +
  '3,"7","multi\nline",NaN,g2\r\n' +
  '4,-0.000001,b,inf,g1';

describe('CSV reader', () => {
  const plan = { features: ['x, one', 'x2'], label: 'label', slice: 'group' };
  const expected: Read = {
    features: [
      [0.5, -2000],
      [Number.NaN, 1.25],
      [7, Number.NaN],
      [-0.000001, Number.POSITIVE_INFINITY],
    ],
    labels: ['a "quoted" one', 'b', 'multi\nline', 'b'],
    slices: ['g1', null, 'g2', 'g1'],
    firstRows: [1, 3],
  };
  expected.features[3]![0] = Math.fround(-0.000001);

  it('handles a BOM, quotes, CRLF, blank lines, missing cells and a last line without a line end', async () => {
    const path = await file('tricky.csv', TRICKY_CSV);
    expect(await readAll(path, plan)).toEqual(expected);
  });

  it('reads the same rows whatever the chunk boundaries', async () => {
    for (let chunkBytes = 1; chunkBytes <= 24; chunkBytes++) {
      expect(await readAll(memorySource('tricky.csv', TRICKY_CSV, chunkBytes), plan)).toEqual(expected);
    }
  });

  it('reads gzipped files by their magic bytes and TSV by name', async () => {
    const gz = await file('tricky.csv.gz', gzipSync(TRICKY_CSV));
    expect(await readAll(gz, plan)).toEqual(expected);
    const tsv = await file('plain.tsv', 'a\tb\ty\n1\t2\tu\n3\t4\tv\n');
    expect((await readAll(tsv, { features: ['b', 'a'], label: 'y' })).features).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });

  it('explains a broken gzip file', async () => {
    const whole = gzipSync(`x,label\n${'1,a\n'.repeat(100)}`);
    const path = await file('broken.csv.gz', whole.subarray(0, whole.length - 12));
    expect(await userErrorOf(readAll(path, { features: ['x'], label: 'label' }))).toContain(
      'could not decompress the gzip data',
    );
  });

  it('parses numeric labels for regression, a missing one as NaN', async () => {
    const path = await file('numeric-label.csv', 'x,y\n1,2.5\n2,\n3,1e2\n');
    const read = await readAll(path, { features: ['x'], label: 'y', labelKind: 'number' });
    expect(read.labels).toEqual([2.5, Number.NaN, 100]);
  });

  it('names the row, line, column and text of a cell that is not a number', async () => {
    const path = await file('bad-cell.csv', 'x,y,label\n1,2,a\n1,"x\ny",b\n3,oops,c\n');
    const message = await userErrorOf(readAll(path, { features: ['x', 'y'], label: 'label' }));
    expect(message).toContain('row 2 (line 3), column "y": "x\\ny" is not a number');
    const later = await file('bad-cell-2.csv', 'x,y,label\n1,2,a\n3,oops,c\n');
    expect(await userErrorOf(readAll(later, { features: ['x', 'y'], label: 'label' }))).toContain(
      'row 2 (line 3), column "y": "oops" is not a number',
    );
  });

  it('refuses long rows, unclosed quotes and unknown columns; a short row has the rest missing', async () => {
    const ragged = await file('ragged.csv', 'x,label\n1,a\n2,b,extra\n');
    expect(await userErrorOf(readAll(ragged, { features: ['x'], label: 'label' }))).toBe(
      `${ragged}:3: the row has more fields than the header (2); quote a field that holds the delimiter`,
    );
    const short = await file('short.csv', 'label,x\na\n');
    expect(await readAll(short, { features: ['x'], label: 'label' })).toEqual({
      features: [[Number.NaN]],
      labels: ['a'],
      slices: [],
      firstRows: [1],
    });
    const open = await file('open-quote.csv', 'x,label\n1,"abc\n');
    expect(await userErrorOf(readAll(open, { features: ['x'], label: 'label' }))).toContain('never closed');
    const path = await file('columns.csv', 'x,label\n1,a\n');
    expect(await userErrorOf(readAll(path, { features: ['z'], label: 'label' }))).toBe(
      `data file ${path} has no column "z"; its columns are "x", "label"`,
    );
  });

  it('explains a missing file and an empty file, and sniffs an unknown extension', async () => {
    expect(await userErrorOf(openTable(join(dir, 'nope.csv')))).toBe(
      `No such file or directory: ${join(dir, 'nope.csv')}`,
    );
    expect(await userErrorOf(openTable(await file('empty.csv', '')))).toContain('is empty');
    expect((await openTable(await file('data.txt', 'x\n1\n'))).columns).toEqual(['x']);
  });

  it('takes the names drift takes: .json for JSON Lines, .gzip for gzip', async () => {
    const json = await file('rows.json', '{"x": 1, "label": "a"}\n');
    const gzip = await file('rows.csv.gzip', gzipSync('x,label\n1,a\n'));
    for (const path of [json, gzip]) {
      expect(await readAll(path, { features: ['x'], label: 'label' })).toEqual({
        features: [[1]],
        labels: ['a'],
        slices: [],
        firstRows: [1],
      });
    }
  });

  it('reads headers with the same rules as drift: names trimmed, missing tokens in any case', async () => {
    const path = await file('spaced.csv', 'a, b ,label\n1, NA,x\nnone,Inf,y\n');
    expect(await readAll(path, { features: ['a', 'b'], label: 'label' })).toEqual({
      features: [
        [1, Number.NaN],
        [Number.NaN, Number.POSITIVE_INFINITY],
      ],
      labels: ['x', 'y'],
      slices: [],
      firstRows: [1],
    });
  });
});

describe('several files', () => {
  it('reads a glob pattern as one table, rows numbered on, and names a file that lacks a column', async () => {
    await file('part-1.csv', 'x,label\n1,a\n2,b\n');
    await file('part-2.csv', 'x,label\n3,c\n');
    const read = await readAll(join(dir, 'part-*.csv'), { features: ['x'], label: 'label', batchSize: 2 });
    expect(read).toEqual({
      features: [[1], [2], [3]],
      labels: ['a', 'b', 'c'],
      slices: [],
      firstRows: [1, 3],
    });
    const odd = await file('part-3.csv', 'y,label\n4,d\n');
    expect(await userErrorOf(readAll(join(dir, 'part-*.csv'), { features: ['x'], label: 'label' }))).toBe(
      `data file ${odd} has no column "x"; its columns are "y", "label"`,
    );
  });
});

describe('JSON-lines reader', () => {
  it('reads objects, treats absent keys and null as missing, keeps labels as text', async () => {
    const path = await file(
      'rows.jsonl',
      '{"a": 1, "b": 2.5, "y": "cat", "s": 1}\r\n\n{"a": null, "y": 3, "s": true}\n{"a": "4", "b": true, "y": null}',
    );
    const read = await readAll(memorySource('rows.jsonl', await readFile(path), 3), {
      features: ['b', 'a'],
      label: 'y',
      slice: 's',
    });
    expect(read).toEqual({
      features: [
        [2.5, 1],
        [Number.NaN, Number.NaN],
        [1, 4],
      ],
      labels: ['cat', '3', null],
      slices: ['1', 'true', null],
      firstRows: [1, 3],
    });
  });

  it('names the line of invalid JSON and of a value that is not a number', async () => {
    const bad = await file('bad.jsonl', '{"a": 1, "y": 0}\n{"a": 1,, "y": 0}\n');
    expect(await userErrorOf(readAll(bad, { features: ['a'], label: 'y' }))).toContain(
      `${bad}:2: not valid JSON`,
    );
    const text = await file('text.jsonl', '{"a": 1, "y": 0}\n\n{"a": "high", "y": 0}\n');
    expect(await userErrorOf(readAll(text, { features: ['a'], label: 'y' }))).toContain(
      'row 2 (line 3), column "a": "high" is not a number',
    );
    const array = await file('array.jsonl', '[1, 2]\n');
    expect(await userErrorOf(openTable(array))).toContain('expected a JSON object');
  });
});

describe('Parquet reader', () => {
  it('reads row group by row group, with numbers of every width, booleans and nulls', async () => {
    const path = join(dir, 'rows.parquet');
    parquetWriteFile({
      filename: path,
      rowGroupSize: 2,
      columnData: [
        { name: 'f', data: new Float64Array([0.5, 1.5, -2, 3, 4]), type: 'DOUBLE' },
        { name: 'i', data: [1n, 2n, null, 4n, 5n], type: 'INT64' },
        { name: 'b', data: [true, false, true, null, false], type: 'BOOLEAN' },
        { name: 'y', data: ['a', 'b', null, 'a', 'c'], type: 'STRING' },
      ],
    });
    const read = await readAll(path, { features: ['i', 'f', 'b'], label: 'y', batchSize: 3 });
    expect(read).toEqual({
      features: [
        [1, 0.5, 1],
        [2, 1.5, 0],
        [Number.NaN, -2, 1],
        [4, 3, Number.NaN],
        [5, 4, 0],
      ],
      labels: ['a', 'b', null, 'a', 'c'],
      slices: [],
      firstRows: [1, 4],
    });
  });

  it('reads a gzipped Parquet file and refuses text columns as features', async () => {
    const path = join(dir, 'text.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'x', data: ['1', 'two'], type: 'STRING' },
        { name: 'y', data: [1, 2], type: 'DOUBLE' },
      ],
    });
    expect(await userErrorOf(readAll(path, { features: ['x'], label: 'y' }))).toContain(
      'row 2, column "x": "two" is not a number',
    );
    const gz = await file('text.parquet.gz', gzipSync(await readFile(path)));
    const read = await readAll(gz, { features: ['y'], label: 'x' });
    expect(read.labels).toEqual(['1', 'two']);
    expect(await userErrorOf(openTable(await file('fake.parquet', 'not parquet')))).toContain(
      'not a readable Parquet file',
    );
  });
});
