import { readFile } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { UserError } from '@mlactions/core';
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type ColumnData,
  type Compressors,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from 'hyparquet';
import { BatchBuilder } from './batch-builder.ts';
import { isGzipped, openOrExplain } from './bytes.ts';
import { requireNumber, valueToText } from './cell-values.ts';
import { columnIndex } from './columns.ts';
import type { ReadPlan, RowBatch, Table } from './types.ts';

/**
 * hyparquet decodes snappy itself; these add the other codecs Node's zlib knows (zstd where the
 * running Node has it).
 */
const zstd = (zlib as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array }).zstdDecompressSync;
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd ? { ZSTD: (input: Uint8Array) => zstd(input) } : {}),
};

/**
 * A Parquet reader that decodes one row group at a time (memory holds one row group of the needed
 * columns). A gzipped Parquet file (`.parquet.gz`) is unzipped into memory first: Parquet compresses
 * inside the file, so this is rare.
 */
export async function openParquet(path: string): Promise<Table> {
  const file = await openAsyncBuffer(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new UserError(`data file ${path} is not a readable Parquet file (${(error as Error).message})`);
  }
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  let started = false;

  async function* batches(plan: ReadPlan): AsyncGenerator<RowBatch> {
    if (started) throw new Error('a Parquet table can be read once');
    started = true;
    const needed = [...plan.features, plan.label, ...(plan.slice === undefined ? [] : [plan.slice])];
    for (const name of needed) columnIndex(columns, name, path);
    const width = plan.features.length;
    let groupStart = 0;
    let row = 0;
    const where = () => `row ${row}`;
    let batch = new BatchBuilder(plan, width, 1);
    for (const group of metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      const values = await readGroup(file, metadata, needed, groupStart, groupEnd, path);
      const features = plan.features.map((name) => values.get(name)!);
      const labels = values.get(plan.label)!;
      const slices = plan.slice === undefined ? undefined : values.get(plan.slice)!;
      for (let r = 0; r < groupEnd - groupStart; r++) {
        if (batch.rows === batch.capacity) {
          yield batch.finish();
          batch = new BatchBuilder(plan, width, groupStart + r + 1);
        }
        row = groupStart + r + 1;
        const base = batch.rows * width;
        for (let slot = 0; slot < width; slot++) {
          batch.features[base + slot] = requireNumber(features[slot]![r], path, plan.features[slot]!, where);
        }
        const label =
          plan.labelKind === 'number'
            ? requireNumber(labels[r], path, plan.label, where)
            : valueToText(labels[r]);
        batch.commit(label, slices === undefined ? null : valueToText(slices[r]));
      }
      groupStart = groupEnd;
    }
    if (batch.rows > 0) yield batch.finish();
  }

  return { path, format: 'parquet', columns, batches, close: async () => {} };
}

async function openAsyncBuffer(path: string): Promise<AsyncBuffer> {
  await (await openOrExplain(path)).close();
  if (!(await isGzipped(path))) return asyncBufferFromFile(path);
  const bytes = zlib.gunzipSync(await readFile(path));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The needed columns of rows [start, end) (one row group), each as one array. */
async function readGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  start: number,
  end: number,
  path: string,
): Promise<Map<string, ArrayLike<unknown>>> {
  const chunks = new Map<string, ColumnData[]>(columns.map((name) => [name, []]));
  try {
    await parquetRead({
      file,
      metadata,
      columns: [...new Set(columns)],
      rowStart: start,
      rowEnd: end,
      compressors: COMPRESSORS,
      onChunk: (chunk) => chunks.get(chunk.columnName)?.push(chunk),
    });
  } catch (error) {
    throw new UserError(
      `data file ${path}: cannot read rows ${start + 1}–${end} (${(error as Error).message})`,
    );
  }
  const values = new Map<string, ArrayLike<unknown>>();
  for (const [name, parts] of chunks) values.set(name, joinChunks(parts, start, end));
  return values;
}

/** One array for rows [start, end) out of the chunks hyparquet emitted (which may overlap the range). */
function joinChunks(parts: ColumnData[], start: number, end: number): ArrayLike<unknown> {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && only.rowStart === start && only.rowEnd === end) return only.columnData as ArrayLike<unknown>;
  const joined: unknown[] = new Array(end - start);
  for (const part of parts) {
    const data = part.columnData as ArrayLike<unknown>;
    for (let row = Math.max(part.rowStart, start); row < Math.min(part.rowEnd, end); row++) {
      joined[row - start] = data[row - part.rowStart];
    }
  }
  return joined;
}
