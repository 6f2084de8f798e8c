/**
 * Where data comes from. A `DataSource` is anything that can hand out a byte stream (a Node Readable
 * is an AsyncIterable<Uint8Array>): a local file, or an S3 GetObject body that a caller wraps. Parquet
 * also wants random access (its footer is at the end); a source may offer it (`randomAccess`), and
 * one that does not is spooled to a temporary file first.
 *
 * Formats are picked by extension (after an optional `.gz`/`.gzip`/`.zst`/`.zstd`): .csv, .tsv/.tab,
 * .jsonl/.ndjson/.json, .parquet/.pq; an unknown extension is sniffed (Parquet's "PAR1" magic, a
 * leading "{" for JSON Lines, CSV otherwise). Gzip and zstd are recognised by their magic bytes,
 * whatever the name says (zstd with the zlib of Node 22.15 and later, the runtime of the actions).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { globFiles, isGlobPattern, UserError } from '@mlactions/core';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** Positional reads over a whole object (a local file, or ranged S3 GETs). */
export interface RandomAccess {
  readonly byteLength: number;
  /** Bytes [start, end). */
  read(start: number, end: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

export interface DataSource {
  /** Shown in messages; its extension picks the format unless `format` is set. */
  readonly name: string;
  readonly format?: DataFormat;
  /** A fresh stream of the raw (possibly gzipped) bytes on each call. */
  open(): AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
  /** Random access to the raw bytes, when the source has it (used for Parquet). */
  randomAccess?(): Promise<RandomAccess>;
}

/** Read size for local files: large chunks keep per-chunk overhead out of the profile. */
export const CHUNK_BYTES = 1 << 20;

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The format a name's extension implies (an outer .gz/.gzip/.zst/.zstd ignored), or undefined. */
export function formatFromName(name: string): DataFormat | undefined {
  const base = name.toLowerCase().replace(/\.(gz|gzip|zst|zstd)$/, '');
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[base.slice(dot + 1)];
}

/** The format the first bytes of (decompressed) data suggest. */
export function sniffFormat(head: Uint8Array): DataFormat {
  if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return 'parquet';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  return head[i] === 0x7b ? 'jsonl' : 'csv';
}

/** True when bytes start with the gzip magic number. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** Positional reads on a local file. */
export async function fileRandomAccess(path: string): Promise<RandomAccess> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async read(start, end) {
      const buffer = Buffer.alloc(end - start);
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

/** A user-facing error for a file that cannot be opened, or the error itself. */
function fileError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`No such file: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`Cannot read ${path}: permission denied`);
  if (code === 'EISDIR') return new UserError(`${path} is a directory; give a file or a glob pattern`);
  return error;
}

/** A local file as a data source. */
export function fileSource(path: string, format?: DataFormat): DataSource {
  return {
    name: path,
    format,
    async *open() {
      try {
        yield* createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
      } catch (error) {
        throw fileError(path, error);
      }
    },
    randomAccess: () => fileRandomAccess(path).catch((error) => Promise.reject(fileError(path, error))),
  };
}

/** At least `bytes` bytes from the front of a stream (fewer if it ends), and the whole stream again. */
export async function peek(
  stream: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.byteLength;
  }
  const head = taken.length === 1 ? taken[0]! : Buffer.concat(taken);
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (head.byteLength > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: replay() };
}

/** True when bytes start with the zstd frame magic number. */
export function isZstd(head: Uint8Array): boolean {
  return head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;
}

/** zlib's zstd decompressor, where the running Node has one (22.15 and later). */
const createZstdDecompress = (zlib as { createZstdDecompress?: (options: object) => NodeJS.ReadWriteStream })
  .createZstdDecompress;

/** The stream, decompressed when it starts with the gzip or zstd magic number. */
export async function decompressed(
  stream: AsyncIterable<Uint8Array>,
  name: string,
): Promise<AsyncIterable<Uint8Array>> {
  const peeked = await peek(stream, 4);
  const zstd = isZstd(peeked.head);
  if (!isGzip(peeked.head) && !zstd) return peeked.stream;
  if (zstd && !createZstdDecompress) {
    throw new UserError(
      `${name} is zstd-compressed, which needs Node 22.15 or later (this is ${process.version}); decompress it first, or use gzip`,
    );
  }
  const codec = zstd ? 'zstd' : 'gzip';
  const gunzip = zstd
    ? (createZstdDecompress!({ chunkSize: CHUNK_BYTES }) as unknown as zlib.Gunzip)
    : zlib.createGunzip({ chunkSize: CHUNK_BYTES });
  const input = Readable.from(peeked.stream, { objectMode: false });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  return (async function* () {
    try {
      yield* gunzip as AsyncIterable<Uint8Array>;
    } catch (error) {
      // zlib's own errors (codes Z_…) mean bad or truncated data; others come from the source.
      if (!String((error as NodeJS.ErrnoException).code).startsWith('Z_')) throw error;
      throw new UserError(`${name}: could not decompress the ${codec} data (${(error as Error).message})`);
    }
  })();
}

/** Data sources for an `s3://` URI (a key, a prefix or a key pattern); the fronts pass one in. */
export type RemoteSources = (uri: string) => Promise<DataSource[]>;

/** True for `s3://…` and other `scheme://` names, which are not local paths. */
export function isUri(name: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(name);
}

/**
 * Data sources for paths, directories and glob patterns (relative to `cwd`): a directory stands for
 * the data files directly inside it, a pattern for its matches; each list is sorted, duplicates once.
 * `s3://` URIs go to `remote`.
 */
export async function resolveSources(
  patterns: string | readonly string[],
  cwd = process.cwd(),
  remote?: RemoteSources,
): Promise<DataSource[]> {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  const sources: DataSource[] = [];
  for (const pattern of list) {
    if (isUri(pattern)) {
      if (!pattern.startsWith('s3://'))
        throw new UserError(`${pattern}: data is read from local paths and s3:// URIs only`);
      if (!remote) throw new UserError(`${pattern}: this command reads no s3:// data`);
      sources.push(...(await remote(pattern)));
      continue;
    }
    if (isGlobPattern(pattern)) {
      const matches = await globFiles([pattern], cwd);
      if (matches.length === 0)
        throw new UserError(`No file matches ${JSON.stringify(pattern)}; check the pattern`);
      sources.push(...matches.sort().map((path) => fileSource(path)));
      continue;
    }
    const path = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UserError(`No such file or directory: ${pattern}`);
    if (info.isDirectory()) {
      const files = await globFiles(['*'], path);
      const data = files.filter((file) => formatFromName(file) !== undefined).sort();
      if (data.length === 0) {
        throw new UserError(
          `${pattern} is a directory with no .csv, .tsv, .jsonl or .parquet file (compressed or not)`,
        );
      }
      sources.push(...data.map((path) => fileSource(path)));
    } else {
      sources.push(fileSource(path));
    }
  }
  const seen = new Set<string>();
  return sources.filter((source) => !seen.has(source.name) && seen.add(source.name));
}
