/**
 * CSV tokenized by worker threads. The calling thread cuts the stream into pieces that end where a
 * record ends (records.ts), parses the first piece itself (the header), and hands each further piece
 * to a worker, which runs the same tokenizer (tokenize.ts) over it and sends the bytes and the token
 * arrays back without copying. Batches come out in the order of the data, with the same rows, lines
 * and errors as the one-thread parser; at most two pieces per worker are in flight, so memory stays a
 * few megabytes whatever the file's size. Where a core is left beside the workers, the calling thread
 * tokenizes a piece itself whenever it would otherwise wait for a worker's answer.
 *
 * The workers run a program given as source text (`new Worker(code, { eval: true })`): a bundled
 * action or CLI has no separate file to start a worker from. Data's own program is the tokenizer's
 * source; a package that wants more done in the same threads (the drift profiler) gives its own
 * bundled program, which answers tokenize jobs with `answerTokenize`.
 */
import { isUtf8 } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { UserError, WorkerSet, workerSet } from '@mlactions/core';
import type { TextBatch } from './batch.ts';
import {
  type CsvOptions,
  CsvParser,
  delimiterByte,
  firstNonUtf8Line,
  NOT_UTF8,
  textBatch,
  tokenError,
} from './csv.ts';
import { RecordSplitter } from './records.ts';
import { CHUNK_BYTES } from './sources.ts';
import { type Tokens, tokenArrays, tokenize } from './tokenize.ts';

/** Parsing threads by default: one per core beyond the calling thread's, at most two. */
export function defaultParseThreads(): number {
  return Math.max(0, Math.min(2, availableParallelism() - 1));
}

/** What a worker is asked to do: tokenize one piece that ends where a record ends. */
export interface TokenizeJob {
  kind: 'tokenize';
  id: number;
  buffer: ArrayBuffer;
  length: number;
  delimiter: number;
  width: number;
  /** Arrays of a released batch to fill again, when there is one. */
  tokens: Tokens | undefined;
}

/** What it answers: the bytes and tokens (transferred back), rows, lines relative to the piece. */
interface Done extends Tokens {
  id: number;
  buffer: ArrayBuffer;
  length: number;
  rows: number;
  /** Line breaks in the piece, blank lines included. */
  lineCount: number;
  /** A tokenizer outcome (see tokenize.ts); an error's record starts at `errorLine` (relative). */
  status: number;
  errorLine: number;
  utf8: boolean;
}

/**
 * A worker's answer to a tokenize job, and the buffers to transfer with it. Like `tokenize`, it refers
 * to nothing outside itself but what it is given: a worker program made of source text runs it.
 */
function tokenizeJob(
  job: TokenizeJob,
  isUtf8: (bytes: Uint8Array) => boolean,
  run: typeof tokenize,
  arrays: typeof tokenArrays,
): [Done, ArrayBuffer[]] {
  const state = new Int32Array(5);
  const bytes = new Uint8Array(job.buffer, 0, job.length);
  // Reused arrays save allocating (and the kernel zeroing) megabytes per piece.
  let out = job.tokens ?? arrays(Math.max(64, Math.ceil(job.length / (job.width * 8))), job.width);
  let capacity = Math.min(out.lines.length, Math.floor(out.starts.length / job.width));
  let pos = 0;
  let row = 0;
  let line = 0;
  for (;;) {
    run(bytes, pos, true, job.delimiter, job.width, out, row, capacity, line, state, false);
    pos = state[0]!;
    row = state[1]!;
    line = state[2]!;
    if (state[3] !== 0 || pos >= bytes.length) break;
    const grown = arrays(Math.max(64, capacity * 2), job.width);
    grown.starts.set(out.starts);
    grown.ends.set(out.ends);
    grown.escaped.set(out.escaped);
    grown.numbers.set(out.numbers);
    grown.lines.set(out.lines);
    out = grown;
    capacity *= 2;
  }
  const { starts, ends, escaped, numbers, lines } = out;
  const done = {
    id: job.id,
    buffer: job.buffer,
    length: job.length,
    rows: row,
    lineCount: line,
    status: state[3]!,
    errorLine: state[2]!,
    utf8: state[3] === 0 && isUtf8(bytes),
    starts,
    ends,
    escaped,
    numbers,
    lines,
  };
  return [done, [job.buffer, starts.buffer, ends.buffer, escaped.buffer, numbers.buffer, lines.buffer]];
}

/** Answers a tokenize job in a worker program bundled from TypeScript (another package's). */
export function answerTokenize(job: TokenizeJob): [Done, ArrayBuffer[]] {
  return tokenizeJob(job, isUtf8, tokenize, tokenArrays);
}

/** The worker program that only tokenizes (a program with more to do answers tokenize jobs alike). */
export const TOKENIZER_SOURCE = `const { parentPort } = require('node:worker_threads');
const { isUtf8 } = require('node:buffer');
const answer = ${tokenizeJob.toString()};
const run = ${tokenize.toString()};
const arrays = ${tokenArrays.toString()};
parentPort.on('message', (job) => parentPort.postMessage(...answer(job, isUtf8, run, arrays)));`;

/** The job of tokenizing a piece (its id is given when it is sent). */
function tokenizeJobOf(
  piece: Buffer,
  delimiter: number,
  width: number,
  tokens: Tokens | undefined,
): Omit<TokenizeJob, 'id'> {
  // The piece starts its own ArrayBuffer (allocated unpooled), so the whole buffer can move.
  const buffer = piece.buffer as ArrayBuffer;
  return { kind: 'tokenize', buffer, length: piece.length, delimiter, width, tokens };
}

/**
 * Worker threads that tokenize CSV pieces: data's own program, or another package's that answers
 * tokenize jobs besides its own requests (the drift profiler's).
 */
export class CsvWorkers extends WorkerSet {
  private next = 0;

  /** Tokenizes a piece on the next worker in turn. */
  tokenize(piece: Buffer, delimiter: number, width: number, tokens: Tokens | undefined): Promise<Done> {
    const index = this.next;
    this.next = (this.next + 1) % this.size;
    const job = tokenizeJobOf(piece, delimiter, width, tokens);
    const moved = tokens ? [tokens.starts, tokens.ends, tokens.escaped, tokens.numbers, tokens.lines] : [];
    return this.request<Done>(index, job, [job.buffer, ...moved.map((array) => array.buffer)]);
  }
}

/** The process's `threads` workers running `source` (by default the tokenizer alone). */
export function csvWorkers(threads: number, source = TOKENIZER_SOURCE): CsvWorkers {
  return workerSet(CsvWorkers, threads, source);
}

/**
 * Parses a CSV byte stream into batches of rows, tokenized by the `workers` (see the module notes;
 * they start on a whole first chunk) and, when it would wait for them, by this thread. Data that fits
 * in its first chunk is parsed on the calling thread alone.
 */
export async function* readCsvParallel(
  stream: AsyncIterable<Uint8Array>,
  source: string,
  options: CsvOptions & { workers: CsvWorkers },
): AsyncGenerator<TextBatch> {
  const delimiter = delimiterByte(options.delimiter);
  const parser = new CsvParser(source, options);
  // Released batches' bytes and arrays, handed out again for the next pieces.
  const spareBytes: ArrayBuffer[] = [];
  const spareTokens: Tokens[] = [];
  const splitter = new RecordSplitter(delimiter, (size) => {
    const index = spareBytes.findIndex((buffer) => buffer.byteLength >= size);
    if (index < 0) return Buffer.allocUnsafeSlow(Math.max(size, 1 << 20)).subarray(0, size);
    return Buffer.from(spareBytes.splice(index, 1)[0]!, 0, size);
  });
  /** Pieces being tokenized, oldest first; `done` is set once the answer is here. */
  const inFlight: { answer: Promise<Done>; done?: Done }[] = [];
  const pool = options.workers;
  const threads = pool.size;
  // With a core to spare beside the workers, this thread tokenizes a piece itself rather than wait
  // for a worker's answer: when it would wait, it has time, and the workers fall behind otherwise.
  const help = threads < availableParallelism();
  let rows = 0;
  let line = 1;

  /** The batch of a worker's answer, its lines made absolute; or its error. */
  const batchOf = (done: Done, width: number): TextBatch | undefined => {
    const bytes = Buffer.from(done.buffer, 0, done.length);
    if (done.status !== 0)
      throw new UserError(`${source}:${line + done.errorLine}: ${tokenError(done.status, width)}`);
    const lines = done.lines;
    for (let r = 0; r < done.rows; r++) lines[r]! += line;
    if (!done.utf8)
      throw new UserError(`${source}:${firstNonUtf8Line(bytes, done, width, done.rows)}: ${NOT_UTF8}`);
    line += done.lineCount;
    rows += done.rows;
    // A batch that went to another thread and back comes with the memory in its new objects.
    const release = (moved?: TextBatch) => {
      const { starts, ends, escaped, numbers } = (moved ?? done) as Tokens;
      spareBytes.push(moved ? (moved.bytes.buffer as ArrayBuffer) : done.buffer);
      spareTokens.push({
        starts,
        ends,
        escaped,
        numbers,
        lines: moved ? new Int32Array(moved.lines.buffer as ArrayBuffer) : lines,
      });
    };
    if (done.rows > 0) return textBatch(parser.header!, done.rows, bytes, done, release, true);
    release();
    return undefined;
  };

  /** Parses a piece: on this thread until the header is read, then on a worker. */
  async function* piece(bytes: Buffer, last: boolean): AsyncGenerator<TextBatch> {
    if (!parser.header) {
      const batch = parser.pushRecords(bytes);
      line = parser.nextLine;
      if (batch) {
        rows += batch.rows;
        yield batch;
      }
      return;
    }
    const width = parser.header.length;
    // The workers have two pieces each and the oldest answer is not here yet: this thread would wait.
    const working = inFlight.filter((pending) => !pending.done).length;
    if (help && working >= 2 * threads && !inFlight[0]!.done) {
      const job = tokenizeJobOf(bytes, delimiter, width, spareTokens.pop());
      const [done] = tokenizeJob({ ...job, id: -1 }, isUtf8, tokenize, tokenArrays);
      inFlight.push({ answer: Promise.resolve(done), done });
    } else {
      const pending: (typeof inFlight)[number] = {
        answer: pool.tokenize(bytes, delimiter, width, spareTokens.pop()),
      };
      pending.answer.then((done) => (pending.done = done)).catch(() => undefined);
      inFlight.push(pending);
    }
    // One more piece in flight when this thread helps: its own, beside the workers' two each.
    while (inFlight.length >= 2 * threads + (help ? 1 : 0) || (last && inFlight.length > 0)) {
      const batch = batchOf(await inFlight.shift()!.answer, width);
      if (batch) yield batch;
    }
  }

  try {
    for await (const chunk of stream) {
      // A whole first chunk: more data follows, most likely, and the threads start up meanwhile.
      if (chunk.byteLength >= CHUNK_BYTES) pool.start();
      const cut = splitter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (cut) yield* piece(cut, false);
    }
    yield* piece(splitter.end() ?? Buffer.alloc(0), true);
    if (!parser.header) parser.finish();
    if (rows === 0) yield textBatch(parser.header!, 0, Buffer.alloc(0), tokenArrays(0, 0));
  } finally {
    // Answers still on their way are dropped.
    for (const pending of inFlight) pending.answer.catch(() => undefined);
  }
}
