/**
 * Streaming JSON Lines reader: one JSON object per line, blank lines skipped. Columns are the
 * objects' top-level keys in order of first appearance; a key a row lacks is missing there.
 */
import { UserError } from '@mlactions/core';
import type { ValueBatch } from './batch.ts';

/** Rows per batch. */
const BATCH_ROWS = 8192;

export async function* readJsonLines(
  stream: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ValueBatch> {
  const names: string[] = [];
  const index = new Map<string, number>();
  let rows: Record<string, unknown>[] = [];
  let line = 0;
  let leftover: Buffer | undefined;

  const batch = (): ValueBatch => {
    const columns = names.map((name) => rows.map((row) => row[name]));
    const out: ValueBatch = { kind: 'values', names: [...names], rows: rows.length, columns };
    rows = [];
    return out;
  };
  const take = (bytes: Buffer, start: number, end: number): void => {
    line++;
    const text = bytes.toString('utf8', start, end).trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UserError(`${source} line ${line}: not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UserError(
        `${source} line ${line}: expected a JSON object per line, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
      );
    }
    const row = value as Record<string, unknown>;
    for (const key of Object.keys(row)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
      }
    }
    rows.push(row);
  };

  for await (const chunk of stream) {
    const bytes = leftover
      ? Buffer.concat([leftover, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
      take(bytes, start, end);
      start = end + 1;
      if (rows.length >= BATCH_ROWS) yield batch();
    }
    leftover = start < bytes.length ? Buffer.from(bytes.subarray(start)) : undefined;
  }
  if (leftover) take(leftover, 0, leftover.length);
  if (rows.length > 0) yield batch();
}
