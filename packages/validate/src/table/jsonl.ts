import { UserError } from '@mlactions/core';
import { BatchBuilder } from './batch-builder.ts';
import { readChunks } from './bytes.ts';
import { requireNumber, showValue, valueToText } from './cell-values.ts';
import { columnIndex } from './columns.ts';
import type { ReadPlan, RowBatch, Table } from './types.ts';

const LF = 10;
const decoder = new TextDecoder();

type Row = Record<string, unknown>;

/**
 * A streaming JSON-lines reader: one object per line, blank lines skipped. The columns are the keys
 * of the first object; a key a later line lacks is a missing value.
 */
export async function openJsonl(path: string, chunkBytes?: number): Promise<Table> {
  const lines = readLines(path, chunkBytes);
  let lineNumber = 0;
  let first: Row | undefined;
  // Not for-await: leaving that loop would close the generator the batches go on reading.
  while (first === undefined) {
    const next = await lines.next();
    if (next.done) break;
    lineNumber++;
    if (next.value.trim() !== '') first = parseObject(next.value, path, lineNumber);
  }
  if (first === undefined) throw new UserError(`data file ${path} has no JSON lines`);
  const columns = Object.keys(first);
  let started = false;
  const firstRow = first;
  const firstLine = lineNumber;

  async function* batches(plan: ReadPlan): AsyncGenerator<RowBatch> {
    if (started) throw new Error('a JSON-lines table can be read once');
    started = true;
    for (const name of [...plan.features, plan.label, ...(plan.slice === undefined ? [] : [plan.slice])]) {
      columnIndex(columns, name, path);
    }
    const width = plan.features.length;
    let row = 0;
    let line = firstLine;
    let batch = new BatchBuilder(plan, width, 1);
    const where = () => `row ${row} (line ${line})`;
    const add = (object: Row) => {
      row++;
      const base = batch.rows * width;
      plan.features.forEach((name, slot) => {
        batch.features[base + slot] = requireNumber(object[name], path, name, where);
      });
      const labelValue = object[plan.label];
      const label =
        plan.labelKind === 'number'
          ? requireNumber(labelValue, path, plan.label, where)
          : valueToText(labelValue);
      batch.commit(label, plan.slice === undefined ? null : valueToText(object[plan.slice]));
    };
    add(firstRow);
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      if (batch.rows === batch.capacity) {
        yield batch.finish();
        batch = new BatchBuilder(plan, width, row + 1);
      }
      add(parseObject(text, path, line));
    }
    if (batch.rows > 0) yield batch.finish();
  }

  async function close(): Promise<void> {
    await lines.return(undefined);
  }

  return { path, format: 'jsonl', columns, batches, close };
}

function parseObject(text: string, path: string, line: number): Row {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`data file ${path}, line ${line}: invalid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`data file ${path}, line ${line}: expected a JSON object, found ${showValue(value)}`);
  }
  return value as Row;
}

/** The file's lines as text, without their line ends (LF or CRLF). */
async function* readLines(path: string, chunkBytes: number | undefined): AsyncGenerator<string> {
  let rest: Uint8Array = new Uint8Array(0);
  for await (const chunk of readChunks(path, chunkBytes)) {
    const buf = rest.length === 0 ? chunk : concat(rest, chunk);
    let start = 0;
    for (let end = buf.indexOf(LF); end >= 0; end = buf.indexOf(LF, start)) {
      yield lineText(buf, start, end);
      start = end + 1;
    }
    rest = buf.subarray(start);
  }
  if (rest.length > 0) yield lineText(rest, 0, rest.length);
}

function lineText(buf: Uint8Array, start: number, end: number): string {
  return decoder.decode(buf.subarray(start, end > start && buf[end - 1] === 13 ? end - 1 : end));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
