import { describe, expect, it } from 'vitest';
import { cellOf, type TextBatch } from '../src/batch.ts';
import { type CsvWorkers, csvWorkers, TOKENIZER_SOURCE } from '../src/parallel.ts';
import { batchesOf, memorySource, TRICKY_CSV } from './helpers/data.ts';

/** Each CSV that tells a parser's rules apart: quotes, line ends, BOM, missing tokens, infinities, errors. */
const CORPUS: Record<string, string | Buffer> = {
  tricky: TRICKY_CSV,
  numbers: 'a,b,c\n1.5,-2,+3e2\n NA ,inf,-Infinity\nnull,,1e400\n0.000001,123456789012345678,.5\n',
  quotesEverywhere: 'a,b\n"x\n""\n",""""\n"""",","\n"a\n\nb",1\n""," ""\n"\n',
  strayQuotes: 'a,b\n5",x"y\n"ok",12"\n7,8\n',
  loneCr: 'a,b\r1,2\r"x\ry",3\r4,5\r',
  crlf: 'a,b\r\n1,2\r\n\r\n3,4\r\n',
  tooManyFields: 'a,b\n1,2\n"x\ny",1\n\n3,4\n1,2,3\n5,6\n',
  unclosedQuote: 'a,b\n1,2\n3,4\n5,"open\n6,7\n',
  textAfterQuote: 'a,b\n1,2\n3,4\n"q"x,5\n',
  notUtf8: Buffer.concat([
    Buffer.from('a,b\n1,x\n2,y\n3,'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('\n4,z\n'),
  ]),
  headerOnly: 'a,b\n',
  blankBeforeHeader: '\n\r\n\na,b\n1,2\n',
  empty: '',
};

/** Everything a reader gives: cells, each row's line, the numbers read while parsing; or the error. */
async function reading(data: string | Buffer, chunk: number, threads: number | CsvWorkers): Promise<unknown> {
  try {
    const read = typeof threads === 'number' ? { threads } : { workers: threads };
    const batches = (await batchesOf(memorySource('c.csv', data, chunk), read)) as TextBatch[];
    const rows = (batch: TextBatch) =>
      Array.from({ length: batch.rows }, (_, r) => batch.names.map((_, c) => cellOf(batch, r, c)));
    return {
      names: batches[0]?.names,
      rows: batches.flatMap(rows),
      lines: batches.flatMap((batch) => Array.from(batch.lines.subarray(0, batch.rows))),
      numbers: batches.flatMap((batch) =>
        Array.from(batch.numbers.subarray(0, batch.rows * batch.names.length)),
      ),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('CSV parsed by worker threads', () => {
  it('gives the rows, lines, numbers and errors of the one-thread parser, whatever the chunk boundaries', async () => {
    for (const [name, data] of Object.entries(CORPUS)) {
      for (const chunk of [1, 4]) {
        const expected = await reading(data, chunk, 0);
        expect(await reading(data, chunk, 2), `${name}, chunks of ${chunk} bytes`).toEqual(expected);
      }
    }
  });

  it('gives the same when the reading thread tokenizes pieces itself while a worker is slow', async () => {
    // Every answer of this worker comes 10 ms late. With a core to spare beside it, the reading
    // thread tokenizes pieces itself rather than wait (how many depends on the machine; the result
    // may not).
    const slow = csvWorkers(
      1,
      `const { parentPort: port } = require('node:worker_threads');
const post = port.postMessage.bind(port);
port.postMessage = (...args) => { const until = Date.now() + 10; while (Date.now() < until); post(...args); };
${TOKENIZER_SOURCE}`,
    );
    const rows = Array.from({ length: 1500 }, (_, i) => `${i},"r${i}\n",${i % 7 === 0 ? 'NA' : i / 4}`);
    const corpus = { ...CORPUS, many: `i,s,x\n${rows.join('\n')}\n` };
    for (const [name, data] of Object.entries(corpus)) {
      const chunk = name === 'many' ? 997 : 4;
      expect(await reading(data, chunk, slow), name).toEqual(await reading(data, chunk, 0));
    }
  });

  it('reads a file of many chunks in order, every row once', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},"r${i}\n",${i % 7 === 0 ? 'NA' : i / 4}`);
    const data = `i,s,x\n${rows.join('\n')}\n`;
    const parallel = await reading(data, 997, 2);
    expect(parallel).toEqual(await reading(data, 997, 0));
    const { rows: read, lines } = parallel as { rows: unknown[][]; lines: number[] };
    expect(read.map((row) => Number(row[0]))).toEqual(rows.map((_, i) => i));
    expect(lines.at(-1)).toBe(2 + 2 * 4999);
  });
});
