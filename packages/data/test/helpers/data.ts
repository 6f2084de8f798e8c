/** Helpers that turn test data into sources and read them back as plain rows. */
import { Readable } from 'node:stream';
import { isUserError } from '@mlactions/core';
import { type Batch, cellOf } from '../../src/batch.ts';
import { type ReadOptions, readBatches } from '../../src/read.ts';
import type { DataFormat, DataSource } from '../../src/sources.ts';

/** Quotes, doubled quotes, line breaks in quotes, CRLF, a BOM, blank and short rows, no final line break. */
export const TRICKY_CSV =
  '\uFEFFid,name,note\r\n' +
  '1,"Smith, Jane","said ""hi""\r\nand left"\r\n' +
  '\r\n' +
  '2,plain,\n' +
  '3,"",short\n' +
  '4,only\n' +
  '5,"quoted ""end""","x"';

/** A source over in-memory bytes, streamed in chunks of `chunk` bytes (no random access, like S3 GetObject). */
export function memorySource(
  name: string,
  data: string | Uint8Array,
  chunk = 64 * 1024,
  format?: DataFormat,
): DataSource {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return {
    name,
    format,
    open: () => {
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
      return Readable.from(parts);
    },
  };
}

/** All batches of a source. */
export async function batchesOf(source: DataSource, options?: ReadOptions): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of readBatches(source, options)) out.push(batch);
  return out;
}

/** Header and rows (cells as the batch holds them) of a source. */
export async function rowsOf(
  source: DataSource,
  options?: ReadOptions,
): Promise<{ names: string[]; rows: unknown[][] }> {
  const batches = await batchesOf(source, options);
  const names: string[] = [];
  const rows: unknown[][] = [];
  for (const batch of batches) {
    for (const name of batch.names) if (!names.includes(name)) names.push(name);
    for (let r = 0; r < batch.rows; r++) {
      rows.push(
        names.map((name) => {
          const c = batch.names.indexOf(name);
          return c < 0 ? undefined : cellOf(batch, r, c);
        }),
      );
    }
  }
  return { names, rows };
}

/** CSV text for columns of equal length (null/undefined written as empty fields). */
export function csvText(columns: Readonly<Record<string, ArrayLike<unknown>>>): string {
  const names = Object.keys(columns);
  const rows = names.length > 0 ? columns[names[0]!]!.length : 0;
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [names.map(cell).join(',')];
  for (let r = 0; r < rows; r++) lines.push(names.map((name) => cell(columns[name]![r])).join(','));
  return `${lines.join('\n')}\n`;
}

/** A CSV source holding the given columns. */
export function csvSource(name: string, columns: Readonly<Record<string, ArrayLike<unknown>>>): DataSource {
  return memorySource(name, csvText(columns));
}

/** The message of the UserError a promise rejects with (any other outcome fails the test). */
export async function userErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isUserError(error)) return (error as Error).message;
    throw error;
  }
  throw new Error('expected a UserError');
}
