/**
 * Parquet reader on hyparquet (with hyparquet-compressors for gzip, zstd, brotli and lz4 pages): at
 * most WINDOW_ROWS rows of one row group at a time (hyparquet skips the pages before them), so memory
 * follows neither the file's size nor its row groups'. 64-bit integers arrive as bigint and
 * dates/timestamps as Date; the readers of values take both.
 */
import { UserError } from '@mlactions/core';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ValueBatch } from './batch.ts';
import type { RandomAccess } from './sources.ts';

/** Rows decoded at a time. */
const WINDOW_ROWS = 65_536;

export async function* readParquet(access: RandomAccess, source: string): AsyncGenerator<ValueBatch> {
  const file = {
    byteLength: access.byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const bytes = await access.read(start, end ?? access.byteLength);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new UserError(`${source}: not a readable Parquet file (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((child) => child.element.name);
  const position = new Map(names.map((name, i) => [name, i]));
  /** Rows [start, end) of one row group, column by column. */
  const readRows = async (start: number, end: number): Promise<ValueBatch> => {
    const rows = end - start;
    // Each column arrives as one or more decoded chunks; a chunk covering the whole range is used as is.
    const columns: ArrayLike<unknown>[] = names.map(() => []);
    await parquetRead({
      file,
      metadata,
      compressors,
      rowStart: start,
      rowEnd: end,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const index = position.get(columnName)!;
        if (rowStart === start && columnData.length === rows) {
          columns[index] = columnData;
          return;
        }
        if (columns[index]!.length !== rows) columns[index] = new Array<unknown>(rows);
        const target = columns[index] as unknown[];
        for (let i = 0; i < columnData.length; i++) {
          const row = rowStart - start + i;
          if (row >= 0 && row < rows) target[row] = columnData[i];
        }
      },
    }).catch((error: Error) => {
      throw new UserError(
        `${source}: the Parquet data is damaged (${error.message}) in rows ${start + 1}–${end}; write the file again`,
      );
    });
    return { kind: 'values', names, rows, columns };
  };
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    for (let start = groupStart; start < groupEnd; start += WINDOW_ROWS) {
      yield await readRows(start, Math.min(groupEnd, start + WINDOW_ROWS));
    }
    groupStart = groupEnd;
  }
}
