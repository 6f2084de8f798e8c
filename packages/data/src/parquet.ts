/**
 * Parquet reader on hyparquet (with hyparquet-compressors for gzip, zstd, brotli and lz4 pages): one
 * row group at a time, so memory follows the row-group size rather than the file size. 64-bit
 * integers arrive as bigint and dates/timestamps as Date; the profiler reads both.
 */
import { UserError } from '@mlactions/core';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ValueBatch } from './batch.ts';
import type { RandomAccess } from './sources.ts';

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
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    // Each column arrives as one or more decoded chunks; a chunk covering the whole group is used as is.
    const columns: ArrayLike<unknown>[] = names.map(() => []);
    await parquetRead({
      file,
      metadata,
      compressors,
      rowStart: groupStart,
      rowEnd: groupStart + rows,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const index = position.get(columnName)!;
        if (rowStart === groupStart && columnData.length === rows) {
          columns[index] = columnData;
          return;
        }
        if (columns[index]!.length !== rows) columns[index] = new Array<unknown>(rows);
        const target = columns[index] as unknown[];
        for (let i = 0; i < columnData.length; i++) {
          const row = rowStart - groupStart + i;
          if (row >= 0 && row < rows) target[row] = columnData[i];
        }
      },
    }).catch((error: Error) => {
      throw new UserError(
        `${source}: the Parquet data is damaged (${error.message}) in rows ${groupStart + 1}–${groupStart + rows}; write the file again`,
      );
    });
    yield { kind: 'values', names, rows, columns };
    groupStart += rows;
  }
}
