/**
 * A column of a batch as typed values, read through the cell rules of values.ts: numbers into a
 * Float32Array or Float64Array (missing cells as NaN), texts as strings (missing cells as null). The
 * CSV path uses the numbers read while parsing and makes a string only for a cell that needs one.
 */
import { type Batch, fieldTextAt } from './batch.ts';
import { hasOuterSpace, isMissingBytes, parseDecimalBytes } from './bytes.ts';
import { categoryOf, isMissingText, isMissingValue, parseNumberText, parseNumberValue } from './values.ts';

/** Called for a cell that is neither missing nor a number: its row in the batch and its content. */
export type NotNumber = (row: number, cell: unknown) => void;

/**
 * Writes column `column` of the batch as numbers to out[offset + row × stride]: a number, ±Infinity,
 * or NaN for a missing cell; a cell that is not a number goes to `notNumber` (and NaN is written).
 */
export function readNumbers(
  batch: Batch,
  column: number,
  out: Float32Array | Float64Array,
  offset: number,
  stride: number,
  notNumber: NotNumber,
): void {
  const rows = batch.rows;
  if (batch.kind === 'values') {
    const values = batch.columns[column]!;
    for (let r = 0, at = offset; r < rows; r++, at += stride) {
      const value = values[r];
      if (typeof value === 'number') {
        out[at] = value;
        continue;
      }
      const x = isMissingValue(value) ? Number.NaN : parseNumberValue(value);
      if (x === undefined) notNumber(r, value);
      out[at] = x ?? Number.NaN;
    }
    return;
  }
  const { bytes, starts, ends, numbers } = batch;
  const width = batch.names.length;
  for (let r = 0, k = column, at = offset; r < rows; r++, k += width, at += stride) {
    const parsed = numbers[k]!;
    if (!Number.isNaN(parsed)) {
      out[at] = parsed;
      continue;
    }
    const start = starts[k]!;
    const end = ends[k]!;
    let x = start < 0 || start === end ? Number.NaN : parseDecimalBytes(bytes, start, end);
    if (Number.isNaN(x) && start >= 0 && start !== end) {
      const text = fieldTextAt(batch, k);
      const number = isMissingText(text) ? Number.NaN : parseNumberText(text);
      if (number === undefined) notNumber(r, text);
      x = number ?? Number.NaN;
    }
    out[at] = x;
  }
}

/** Column `column` of the batch as texts (other values in their text form), null where missing. */
export function readTexts(batch: Batch, column: number): (string | null)[] {
  const out = new Array<string | null>(batch.rows);
  if (batch.kind === 'values') {
    const values = batch.columns[column]!;
    for (let r = 0; r < batch.rows; r++) {
      const value = values[r];
      out[r] = isMissingValue(value) ? null : categoryOf(value);
    }
    return out;
  }
  const { bytes, starts, ends } = batch;
  const width = batch.names.length;
  for (let r = 0, k = column; r < batch.rows; r++, k += width) {
    const start = starts[k]!;
    const end = ends[k]!;
    if (start < 0 || isMissingBytes(bytes, start, end)) {
      out[r] = null;
      continue;
    }
    // The byte rule decides every field without outer spaces; only the others need the text rule.
    const text = fieldTextAt(batch, k);
    out[r] = hasOuterSpace(bytes, start, end) && isMissingText(text) ? null : text;
  }
  return out;
}
