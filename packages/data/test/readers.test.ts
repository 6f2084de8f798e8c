import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../drift/test/helpers/prng.ts';
import { hasOuterSpace, isMissingBytes, parseDecimalBytes } from '../src/bytes.ts';
import { readNumberMatrix, readNumbers, readTexts, TextCodes } from '../src/columns.ts';
import { fileSource, formatFromName, resolveSources, sniffFormat } from '../src/sources.ts';
import { tokenArrays, tokenize } from '../src/tokenize.ts';
import { isMissingText, parseNumberText } from '../src/values.ts';
import { batchesOf, memorySource, rowsOf, TRICKY_CSV, userErrorOf } from './helpers/data.ts';

describe('CSV reader', () => {
  it('handles quotes, doubled quotes, line breaks in quotes, CRLF, a BOM, blank and short rows', async () => {
    const { names, rows } = await rowsOf(memorySource('t.csv', TRICKY_CSV));
    expect(names).toEqual(['id', 'name', 'note']);
    expect(rows).toEqual([
      ['1', 'Smith, Jane', 'said "hi"\r\nand left'],
      ['2', 'plain', ''],
      ['3', '', 'short'],
      ['4', 'only', undefined],
      ['5', 'quoted "end"', 'x'],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', async () => {
    const expected = await rowsOf(memorySource('t.csv', TRICKY_CSV));
    for (let chunk = 1; chunk <= 12; chunk++) {
      expect(await rowsOf(memorySource('t.csv', TRICKY_CSV, chunk))).toEqual(expected);
    }
  });

  it('reads tab-separated files by extension and names empty header fields', async () => {
    const { names, rows } = await rowsOf(memorySource('t.tsv', 'a\t\tc\n1\t2\t3\n'));
    expect(names).toEqual(['a', 'column2', 'c']);
    expect(rows).toEqual([['1', '2', '3']]);
  });

  it('reports a header without rows as columns with no rows', async () => {
    const batches = await batchesOf(memorySource('h.csv', 'a,b\n'));
    expect(batches.map((b) => [b.names, b.rows])).toEqual([[['a', 'b'], 0]]);
  });

  it('names the line and the problem in its errors', async () => {
    expect(await userErrorOf(rowsOf(memorySource('x.csv', 'a\n"q"x\n')))).toBe(
      'x.csv:2: text follows a closing quote; quote the whole field and double any quote inside it',
    );
    expect(await userErrorOf(rowsOf(memorySource('x.csv', '')))).toMatch(/empty; it needs a header row/);
  });
});

describe('byte short cuts agree with the text rules', () => {
  it('parseDecimalBytes equals Number() on decimals and declines everything else', () => {
    const next = mulberry32(11);
    const samples = [
      '0',
      '-0',
      '+1',
      '1.',
      '.5',
      '-.5e-3',
      '12345678901234567',
      '9007199254740993',
      '1e400',
      '1e-400',
      '3.14159',
      '1E5',
      '2e+10',
      '007',
      '1e',
      'e5',
      '-',
      '.',
      '1.2.3',
      ' 1',
      'inf',
      'NaN',
      '0x10',
      '1_000',
      '١',
    ];
    for (let i = 0; i < 2000; i++) {
      const digits = Math.floor(next() * 1e9).toString();
      const point = Math.floor(next() * (digits.length + 1));
      const sign = next() < 0.3 ? '-' : '';
      const exponent = next() < 0.2 ? `e${Math.floor(next() * 40) - 20}` : '';
      samples.push(`${sign}${digits.slice(0, point)}.${digits.slice(point)}${exponent}`);
    }
    for (const text of samples) {
      const bytes = Buffer.from(text);
      const fast = parseDecimalBytes(bytes, 0, bytes.length);
      const slow = parseNumberText(text);
      if (!Number.isNaN(fast)) expect(fast).toBe(slow);
      else if (
        /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) &&
        slow !== undefined &&
        Number.isFinite(slow)
      ) {
        // Declined only for long mantissas or large exponents.
        expect(text.replace(/[^0-9]/g, '').length > 15 || /e[+-]?\d{2,}/i.test(text)).toBe(true);
      }
    }
  });

  it('numbers read while parsing CSV equal Number() on plain decimals, and are NaN otherwise', async () => {
    const next = mulberry32(12);
    const texts = [
      '0',
      '-0',
      '+1',
      '1.',
      '.5',
      '-.5',
      '123456789012345',
      '1234567890123456',
      '1e5',
      '1.5E-3',
      '',
      '-',
      '+',
      '.',
      'abc',
      '12a',
      '1.2.3',
      ' 1',
      '"7"',
      '0x1',
    ];
    for (let i = 0; i < 500; i++)
      texts.push(
        `${next() < 0.3 ? '-' : ''}${(next() * 10 ** Math.floor(next() * 12)).toFixed(Math.floor(next() * 7))}`,
      );
    const batches = await batchesOf(memorySource('n.csv', `v\n${texts.join('\n')}\n`, 97));
    const values = batches.flatMap((b) =>
      b.kind === 'text' ? Array.from(b.numbers.subarray(0, b.rows)) : [],
    );
    const plain = /^[+-]?(\d+\.?\d*|\.\d+)$/;
    const read = texts.filter((t) => t !== '');
    expect(values).toHaveLength(read.length);
    read.forEach((text, i) => {
      const digits = text.replace(/[^0-9]/g, '').length;
      if (plain.test(text) && digits <= 15) expect(values[i]).toBe(Number(text));
      else expect(values[i]).toBeNaN();
    });
  });

  it('the tokenizer reads a number alike before the last line break and after it', () => {
    const next = mulberry32(13);
    const texts = ['0', '-0', '+7', '1.', '.5', '-', '.', '1.2.3', '12a', '000000000001.25', '999999999.9'];
    for (let i = 0; i < 2000; i++) {
      const digits = 1 + Math.floor(next() * 17);
      let text = next() < 0.3 ? '-' : '';
      for (let d = 0; d < digits; d++) text += String(Math.floor(next() * 10));
      const dot = Math.floor(next() * (digits + 1));
      if (next() < 0.7) text = `${text.slice(0, text.length - dot)}.${text.slice(text.length - dot)}`;
      texts.push(text);
    }
    const state = new Int32Array(5);
    /** The value tokenized as the first field of a row followed by a line break, or ending the data. */
    const read = (text: string, lineAfter: boolean): number => {
      const bytes = Buffer.from(lineAfter ? `${text},x\n` : `x,${text}`);
      const tokens = tokenArrays(1, 2);
      tokenize(bytes, 0, true, 0x2c, 2, tokens, 0, 1, 1, state, false);
      return tokens.numbers[lineAfter ? 0 : 1]!;
    };
    for (const text of texts) {
      const fast = read(text, true);
      expect(Object.is(fast, read(text, false)), text).toBe(true);
      const digits = text.replace(/[^0-9]/g, '').length;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) && digits <= 15) expect(fast, text).toBe(Number(text));
      else expect(fast, text).toBeNaN();
    }
  });

  it('isMissingBytes agrees with isMissingText on tokens and near misses', () => {
    for (const text of [
      '',
      'NA',
      'na',
      'N/A',
      'n/a',
      'NaN',
      'nan',
      'NAN',
      'null',
      'NULL',
      'None',
      'none',
      'n',
      'nn',
      'nab',
      'nulls',
      'nonE',
      'x',
      '0',
      'Na ',
    ]) {
      const bytes = Buffer.from(text);
      if (isMissingBytes(bytes, 0, bytes.length)) expect(isMissingText(text)).toBe(true);
      else if (!text.includes(' ')) expect(isMissingText(text)).toBe(false);
    }
  });

  it('hasOuterSpace finds exactly the white space trim() removes, so every other field keeps its byte short cut', () => {
    const spaces = [
      ' ',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '\u00a0',
      '\u1680',
      '\u2003',
      '\u200a',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
    ];
    const words = ['NA', 'x', 'café', '日本', 'é', '😀', '\u200b', '\u00ad', '1.5'];
    for (const word of words) {
      for (const text of [
        word,
        ...spaces.flatMap((space) => [space + word, word + space, space + word + space]),
      ]) {
        const bytes = Buffer.from(`,${text},`);
        expect(hasOuterSpace(bytes, 1, bytes.length - 1), JSON.stringify(text)).toBe(text.trim() !== text);
      }
    }
  });
});

describe('text codes', () => {
  it("give readTexts' texts (null for a missing cell) for every column, chunk size and format", async () => {
    const long = 'x'.repeat(70);
    const csv =
      'a,b\n' +
      `cat, NA \n"cat",dog\n"say ""hi""",\n ${long} ,None\n${long},"say ""hi"""\ncat , cat\n,n/a\n` +
      'dog,"dog"\nNA,x\n1,0\n0, \n1,"1"\n\t,1\n';
    const jsonl = '{"a":"cat","b":1}\n{"a":null,"b":true}\n{"a":"cat","b":"1"}\n{"b":1.5}\n';
    const sources = [
      ...[1, 3, 7, 1024].map((chunk) => memorySource('c.csv', csv, chunk)),
      memorySource('j.jsonl', jsonl),
    ];
    for (const source of sources) {
      const batches = await batchesOf(source);
      for (const column of ['a', 'b']) {
        const codes = new TextCodes();
        const decoded: (string | null)[] = [];
        const expected: (string | null)[] = [];
        for (const batch of batches) {
          const c = batch.names.indexOf(column);
          if (c < 0) continue;
          const out = new Int32Array(batch.rows + 2).fill(7);
          // In two ranges of rows, the second first (codes are numbered as texts are first met).
          const middle = batch.rows >> 1;
          const second = new Int32Array(batch.rows - middle);
          codes.read(batch, c, second, 0, middle, batch.rows);
          codes.read(batch, c, out, 1, 0, middle);
          out.set(second, 1 + middle);
          expect([out[0], out[batch.rows + 1]]).toEqual([7, 7]);
          for (const code of out.subarray(1, batch.rows + 1))
            decoded.push(code < 0 ? null : codes.texts[code]!);
          expected.push(...readTexts(batch, c));
        }
        expect(decoded, `${source.name} ${column}`).toEqual(expected);
        expect(new Set(codes.texts).size).toBe(codes.texts.length);
      }
    }
  });
});

describe('number matrix', () => {
  it("gives readNumbers' numbers and complaints, row by row, for every chunk size and format", async () => {
    const csv = 'a,b,c\n1.5,"2",x\n-0,,1e3\n Inf ,NA,"7"\n4\n12345678901.25,-.5,y\n"1,5",+3,none\n';
    const jsonl = '{"a":1.5,"b":"2","c":"x"}\n{"a":"-inf","c":3}\n{"b":null,"c":"y"}\n';
    const sources = [
      ...[1, 4, 1024].map((chunk) => memorySource('m.csv', csv, chunk)),
      memorySource('m.jsonl', jsonl),
    ];
    for (const source of sources) {
      for (const batch of await batchesOf(source)) {
        // Columns in another order than the batch's, one twice, and one the batch lacks.
        const columns = Int32Array.from(['c', 'a', 'missing', 'b', 'a'], (name) => batch.names.indexOf(name));
        const complaints = (log: string[]) =>
          [...columns].map((_, slot) => (row: number, cell: unknown) => {
            log.push(`${slot} ${row} ${String(cell)}`);
          });
        const matrix = new Float64Array(batch.rows * columns.length).fill(7);
        const matrixLog: string[] = [];
        readNumberMatrix(batch, columns, matrix, complaints(matrixLog));
        const expected = new Float64Array(batch.rows * columns.length).fill(Number.NaN);
        const columnLog: string[] = [];
        const notNumber = complaints(columnLog);
        columns.forEach((column, slot) => {
          if (column >= 0) readNumbers(batch, column, expected, slot, columns.length, notNumber[slot]!);
        });
        expect(Array.from(matrix), source.name).toEqual(Array.from(expected));
        expect(matrixLog.sort(), source.name).toEqual(columnLog.sort());
        // A range of rows: the same numbers, from the start of `out`.
        const from = Math.min(1, batch.rows);
        const to = Math.max(from, batch.rows - 1);
        const part = new Float64Array((to - from) * columns.length).fill(7);
        readNumberMatrix(batch, columns, part, complaints([]), from, to);
        expect(Array.from(part)).toEqual(
          Array.from(expected.subarray(from * columns.length, to * columns.length)),
        );
      }
    }
  });
});

describe('formats, compression and sources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drift-readers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('picks formats by extension and sniffs the rest', () => {
    expect(formatFromName('a/b.CSV.gz')).toBe('csv');
    expect(formatFromName('x.ndjson')).toBe('jsonl');
    expect(formatFromName('x.pq')).toBe('parquet');
    expect(formatFromName('x.data')).toBeUndefined();
    expect(sniffFormat(Buffer.from('PAR1'))).toBe('parquet');
    expect(sniffFormat(Buffer.from('\n {"a":1}'))).toBe('jsonl');
    expect(sniffFormat(Buffer.from('a,b'))).toBe('csv');
  });

  it('reads gzipped data by its magic bytes, whatever the name', async () => {
    const gz = gzipSync(Buffer.from('a,b\n1,2\n3,4\n'));
    expect((await rowsOf(memorySource('data.csv.gz', gz, 5))).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect((await rowsOf(memorySource('download', gz))).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(await userErrorOf(rowsOf(memorySource('bad.csv.gz', gz.subarray(0, 12))))).toMatch(
      /bad\.csv\.gz: could not decompress/,
    );
  });

  it('reads JSON Lines: keys in order of appearance, absent keys missing, bad lines named', async () => {
    const text = '{"a":1,"b":"x"}\n\n{"b":"y","c":true}\r\n{"a":null}';
    const { names, rows } = await rowsOf(memorySource('d.jsonl', text, 3));
    expect(names).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      [1, 'x', undefined],
      [undefined, 'y', true],
      [null, undefined, undefined],
    ]);
    expect(await userErrorOf(rowsOf(memorySource('d.jsonl', '{"a":1}\n{oops}\n')))).toMatch(
      /^d\.jsonl:2: not valid JSON/,
    );
    expect(await userErrorOf(rowsOf(memorySource('d.jsonl', '[1,2]\n')))).toMatch(
      /:1: expected a JSON object per line, found an array/,
    );
  });

  it('reads Parquet row group by row group, from a file, a stream, or gzipped', async () => {
    const n = 250;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: Float64Array.from({ length: n }, (_, i) => i / 2), type: 'DOUBLE' },
        { name: 'k', data: Array.from({ length: n }, (_, i) => BigInt(i)), type: 'INT64' },
        {
          name: 's',
          data: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `c${i % 3}`)),
          type: 'STRING',
        },
        { name: 'b', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        {
          name: 't',
          data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 30)))),
          type: 'TIMESTAMP',
        },
      ],
      rowGroupSize: 100,
    });
    const path = join(dir, 'data.parquet');
    await writeFile(path, Buffer.from(buffer));
    const fromFile = await batchesOf(fileSource(path));
    expect(fromFile.map((b) => b.rows)).toEqual([100, 100, 50]);
    const { names, rows } = await rowsOf(fileSource(path));
    expect(names).toEqual(['x', 'k', 's', 'b', 't']);
    expect(rows[7]).toEqual([3.5, 7n, null, false, new Date(Date.UTC(2024, 0, 8))]);
    expect(rows[249]).toEqual([124.5, 249n, 'c0', false, new Date(Date.UTC(2024, 0, 10))]);
    expect(await rowsOf(memorySource('stream.parquet', Buffer.from(buffer), 1000))).toEqual({ names, rows });
    expect(await rowsOf(memorySource('blob', gzipSync(Buffer.from(buffer))))).toEqual({ names, rows });
  });

  it('resolves paths, directories and globs to sorted sources, and names what is missing', async () => {
    await writeFile(join(dir, 'b.csv'), 'a\n1\n');
    await writeFile(join(dir, 'a.csv'), 'a\n2\n');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const globbed = await resolveSources('*.csv', dir);
    expect(globbed.map((s) => s.name)).toEqual([join(dir, 'a.csv'), join(dir, 'b.csv')]);
    const fromDir = await resolveSources([dir]);
    expect(fromDir.map((s) => s.name)).toEqual([
      join(dir, 'a.csv'),
      join(dir, 'b.csv'),
      join(dir, 'data.parquet'),
    ]);
    expect(await userErrorOf(resolveSources('*.jsonl', dir))).toBe(
      'No file matches "*.jsonl"; check the pattern',
    );
    expect(await userErrorOf(resolveSources('nope.csv', dir))).toBe('No such file or directory: nope.csv');
  });
});

describe('file sources', () => {
  it('name a missing file in a user error', async () => {
    expect(await userErrorOf(rowsOf(fileSource('/nonexistent/data.csv')))).toBe(
      'No such file: /nonexistent/data.csv',
    );
    expect(await userErrorOf(rowsOf(fileSource('/nonexistent/data.parquet')))).toBe(
      'No such file: /nonexistent/data.parquet',
    );
  });
});
