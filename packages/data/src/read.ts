/** Turns a data source into batches of rows, whatever its format and compression. */
import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Batch } from './batch.ts';
import { readCsv } from './csv.ts';
import { readJsonLines } from './jsonl.ts';
import { type CsvWorkers, csvWorkers, defaultParseThreads, readCsvParallel } from './parallel.ts';
import {
  type DataFormat,
  type DataSource,
  decompressed,
  fileRandomAccess,
  formatFromName,
  isGzip,
  isZstd,
  peek,
  type RandomAccess,
  sniffFormat,
} from './sources.ts';

export interface ReadOptions {
  /** CSV field separator; ',' for .csv, a tab for .tsv unless set. */
  delimiter?: string;
  /**
   * Worker threads that tokenize CSV besides the calling thread (0: it parses alone); by default one
   * per core beyond the first, at most two. Data that fits in one chunk (1 MiB) starts none.
   */
  threads?: number;
  /** The worker threads to tokenize on (see csvWorkers), instead of `threads` of data's own. */
  workers?: CsvWorkers;
  /**
   * Stops the read when aborted (the CLI's SIGINT / SIGTERM); a spool it wrote is removed as the
   * read unwinds. Readers check it between batches.
   */
  signal?: AbortSignal;
}

/** Batches of rows from a source (see batch.ts for their shapes). */
export async function* readBatches(source: DataSource, options: ReadOptions = {}): AsyncGenerator<Batch> {
  let format: DataFormat | undefined = source.format ?? formatFromName(source.name);
  if (format === 'parquet' && source.randomAccess) {
    const access = await source.randomAccess();
    // A compressed Parquet file has no usable random access; it is spooled below instead.
    const head = await access.read(0, Math.min(4, access.byteLength));
    if (!isGzip(head) && !isZstd(head)) {
      try {
        yield* await parquetBatches(access, source.name);
      } finally {
        await access.close?.();
      }
      return;
    }
    await access.close?.();
  }
  const { head, stream } = await peek(await decompressed(await source.open(), source.name), 4);
  format ??= sniffFormat(head);
  if (format === 'jsonl') yield* readJsonLines(stream, source.name);
  else if (format === 'parquet') yield* readSpooledParquet(stream, source.name, options.signal);
  else {
    const csv = { delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : ',') };
    const threads = options.workers?.size ?? options.threads ?? defaultParseThreads();
    yield* threads > 0
      ? readCsvParallel(stream, source.name, { ...csv, workers: options.workers ?? csvWorkers(threads) })
      : readCsv(stream, source.name, csv);
  }
}

/** Parquet batches; the reader (and its decompressors) loads only when Parquet data is read. */
async function parquetBatches(access: RandomAccess, name: string): Promise<AsyncGenerator<Batch>> {
  const { readParquet } = await import('./parquet.ts');
  return readParquet(access, name);
}

/** Parquet from a plain stream: written to a temporary file, read with random access, removed. */
async function* readSpooledParquet(
  stream: AsyncIterable<Uint8Array>,
  name: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Batch> {
  const dir = await mkdtemp(join(tmpdir(), 'mlactions-drift-'));
  // Removed at once when the run is stopped: the process may exit before this generator unwinds.
  const removeNow = () => rmSync(dir, { recursive: true, force: true });
  signal?.addEventListener('abort', removeNow, { once: true });
  let access: RandomAccess | undefined;
  try {
    const path = join(dir, 'data.parquet');
    await pipeline(stream, createWriteStream(path), ...(signal ? [{ signal }] : []));
    access = await fileRandomAccess(path);
    yield* await parquetBatches(access, name);
  } finally {
    signal?.removeEventListener('abort', removeNow);
    await access?.close?.();
    await rm(dir, { recursive: true, force: true });
  }
}
