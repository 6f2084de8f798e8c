/**
 * Streaming JSON Lines reader: one JSON object per line, blank lines skipped. Columns are the
 * objects' top-level keys in order of first appearance; a key a row lacks is missing there. Errors
 * name the file and the line (`data.jsonl:7: …`); bytes that are not UTF-8 are one of them. A line
 * longer than a chunk is gathered once, so a file of one huge line is read in linear time.
 */
import { UserError } from '@mlactions/core';
import type { ValueBatch } from './batch.ts';

/** Rows per batch. */
const BATCH_ROWS = 8192;
const LF = 0x0a;

export async function* readJsonLines(
  stream: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ValueBatch> {
  const names: string[] = [];
  const index = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rows: Record<string, unknown>[] = [];
  let lines: number[] = [];
  let line = 0;

  const batch = (): ValueBatch => {
    const columns = names.map((name) => rows.map((row) => row[name]));
    const out: ValueBatch = {
      kind: 'values',
      names: [...names],
      rows: rows.length,
      columns,
      lines: Int32Array.from(lines),
    };
    rows = [];
    lines = [];
    return out;
  };
  const fail = (problem: string) => new UserError(`${source}:${line}: ${problem}`);
  const take = (bytes: Uint8Array): void => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes).trim();
    } catch {
      throw fail('not valid UTF-8; save the file as UTF-8');
    }
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw fail(`not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw fail(
        `expected a JSON object per line, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
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
    lines.push(line);
  };

  // The start of a line that has not ended yet, in pieces (joined once its end comes).
  let pending: Uint8Array[] = [];
  for await (const chunk of stream) {
    let start = 0;
    for (let end = chunk.indexOf(LF); end !== -1; end = chunk.indexOf(LF, start)) {
      if (pending.length > 0) {
        pending.push(chunk.subarray(0, end));
        take(Buffer.concat(pending));
        pending = [];
      } else take(chunk.subarray(start, end));
      start = end + 1;
      if (rows.length >= BATCH_ROWS) yield batch();
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) take(Buffer.concat(pending));
  if (rows.length > 0) yield batch();
}
