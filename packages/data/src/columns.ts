/**
 * A column of a batch as typed values, read through the cell rules of values.ts: numbers into a
 * Float32Array or Float64Array (missing cells as NaN), texts as strings (missing cells as null) or
 * as codes of distinct texts. The CSV path uses the numbers read while parsing and makes a string
 * only for a cell that needs one.
 */
import { type Batch, fieldTextAt, type TextBatch } from './batch.ts';
import { hasOuterSpace, isMissingBytes, parseDecimalBytes } from './bytes.ts';
import { ByteInterner, MAX_INTERNED_BYTES } from './interner.ts';
import { categoryOf, isMissingText, isMissingValue, parseNumberText, parseNumberValue } from './values.ts';

/** Called for a cell that is neither missing nor a number: its row in the batch and its content. */
export type NotNumber = (row: number, cell: unknown) => void;

/**
 * Writes column `column` of rows `from` … `to`-1 of the batch (by default all) as numbers to
 * out[offset + (row - from) × stride]: a number, ±Infinity, or NaN for a missing cell; a cell that is
 * not a number goes to `notNumber` (and NaN is written).
 */
export function readNumbers(
  batch: Batch,
  column: number,
  out: Float32Array | Float64Array,
  offset: number,
  stride: number,
  notNumber: NotNumber,
  from = 0,
  to = batch.rows,
): void {
  if (batch.kind === 'values') {
    const values = batch.columns[column]!;
    for (let r = from, at = offset; r < to; r++, at += stride) {
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
  const { numbers } = batch;
  const width = batch.names.length;
  for (let r = from, k = from * width + column, at = offset; r < to; r++, k += width, at += stride) {
    const parsed = numbers[k]!;
    out[at] = Number.isNaN(parsed) ? cellNumber(batch, k, r, notNumber) : parsed;
  }
}

/**
 * Writes columns `columns` of rows `from` … `to`-1 of the batch (by default all) as one row-major
 * matrix, each cell as readNumbers reads it: out[(row - from) × columns.length + slot] is column
 * columns[slot] (NaN where that is -1, a column the batch lacks), and a cell that is not a number
 * goes to notNumber[slot]. One pass reads each row's cells together, where a pass per column would
 * stride through the whole batch.
 */
export function readNumberMatrix(
  batch: Batch,
  columns: Int32Array,
  out: Float32Array | Float64Array,
  notNumber: readonly NotNumber[],
  from = 0,
  to = batch.rows,
): void {
  const n = columns.length;
  if (batch.kind === 'values') {
    for (let slot = 0; slot < n; slot++) {
      const column = columns[slot]!;
      if (column >= 0) readNumbers(batch, column, out, slot, n, notNumber[slot]!, from, to);
      else for (let r = from; r < to; r++) out[(r - from) * n + slot] = Number.NaN;
    }
    return;
  }
  const { numbers } = batch;
  const width = batch.names.length;
  for (let r = from, base = from * width, at = 0; r < to; r++, base += width) {
    for (let slot = 0; slot < n; slot++, at++) {
      const column = columns[slot]!;
      if (column < 0) {
        out[at] = Number.NaN;
        continue;
      }
      const parsed = numbers[base + column]!;
      out[at] = Number.isNaN(parsed) ? cellNumber(batch, base + column, r, notNumber[slot]!) : parsed;
    }
  }
}

/** Field k (in row `row`) of a CSV batch whose number was not read while tokenizing. */
function cellNumber(batch: TextBatch, k: number, row: number, notNumber: NotNumber): number {
  const { bytes, starts, ends } = batch;
  const start = starts[k]!;
  const end = ends[k]!;
  if (start < 0 || start === end) return Number.NaN;
  const x = parseDecimalBytes(bytes, start, end);
  if (!Number.isNaN(x)) return x;
  const text = fieldTextAt(batch, k);
  const number = isMissingText(text) ? Number.NaN : parseNumberText(text);
  if (number === undefined) notNumber(row, text);
  return number ?? Number.NaN;
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

/**
 * Texts of a column as small integer codes, numbered in the order they first appear: `texts[code]` is
 * the text `readTexts` gives for the cell, and -1 stands for a missing cell. A repeated CSV field is
 * looked up by its bytes, so a column of a few distinct values (labels, slices) makes no string per
 * row.
 */
export class TextCodes {
  /** The distinct texts seen so far, by code. */
  readonly texts: string[] = [];
  private readonly byText = new Map<string, number>();
  private readonly interner = new ByteInterner();
  /** Codes of one-byte fields by their byte (-1: not seen yet), the commonest labels (0/1, a/b). */
  private readonly single = new Int32Array(128).fill(-1);

  private codeOf(text: string): number {
    let code = this.byText.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.texts.push(text);
      this.byText.set(text, code);
    }
    return code;
  }

  /** Writes the codes of column `column` of rows `from` … `to`-1 (by default all) to out[offset …]. */
  read(batch: Batch, column: number, out: Int32Array, offset = 0, from = 0, to = batch.rows): void {
    // out[at + r] is row r's code.
    const at = offset - from;
    if (batch.kind === 'values') {
      const values = batch.columns[column]!;
      for (let r = from; r < to; r++) {
        const value = values[r];
        out[at + r] = isMissingValue(value) ? -1 : this.codeOf(categoryOf(value));
      }
      return;
    }
    const { bytes, starts, ends, escaped } = batch;
    const width = batch.names.length;
    for (let r = from, k = from * width + column; r < to; r++, k += width) {
      const start = starts[k]!;
      const end = ends[k]!;
      if (end - start === 1 && start >= 0) {
        const byte = bytes[start]!;
        const known = byte < 0x80 ? this.single[byte]! : -1;
        if (known >= 0) {
          out[at + r] = known;
          continue;
        }
      }
      if (start < 0 || isMissingBytes(bytes, start, end)) {
        out[at + r] = -1;
        continue;
      }
      // The bytes of a field without doubled quotes or outer spaces are its text.
      const plain = end - start <= MAX_INTERNED_BYTES && !escaped[k] && !hasOuterSpace(bytes, start, end);
      if (plain) {
        const known = this.interner.find(bytes, start, end);
        if (known >= 0) {
          out[at + r] = known;
          continue;
        }
      }
      const text = fieldTextAt(batch, k);
      if (!plain && hasOuterSpace(bytes, start, end) && isMissingText(text)) {
        out[at + r] = -1;
        continue;
      }
      const code = this.codeOf(text);
      if (plain) this.interner.add(bytes, start, end, code);
      if (plain && end - start === 1 && bytes[start]! < 0x80) this.single[bytes[start]!] = code;
      out[at + r] = code;
    }
  }
}
