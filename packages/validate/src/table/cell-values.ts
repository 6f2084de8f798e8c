import { UserError } from '@mlactions/core';
import { parseNumberText } from './number-cell.ts';

/**
 * A JSON or Parquet value as a model input: numbers as they are, integers (also 64-bit) as numbers,
 * booleans as 1 and 0, null or absent as NaN (missing), numeric text parsed; undefined for anything
 * else (the reader then names the row and column).
 */
export function valueToNumber(value: unknown): number | undefined {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseNumberText(value);
    case 'undefined':
      return Number.NaN;
    default:
      return value === null ? Number.NaN : undefined;
  }
}

/** A JSON or Parquet value as a label or slice: its text, or null when missing or empty. */
export function valueToText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A value shortened for an error message. */
export function showValue(value: unknown): string {
  const text = typeof value === 'bigint' ? `${value}` : JSON.stringify(value);
  return text === undefined ? String(value) : text.slice(0, 40);
}

/** A cell that should hold a number and does not: where it is, so callers can add what the column is for. */
export class NotANumber extends UserError {
  readonly path: string;
  /** The row, as `row 3` or `row 3 (line 4)`. */
  readonly row: string;
  readonly column: string;
  /** The cell, quoted and shortened. */
  readonly shown: string;

  constructor(path: string, row: string, column: string, shown: string) {
    super(`data file ${path}, ${row}, column ${JSON.stringify(column)}: ${shown} is not a number`);
    this.path = path;
    this.row = row;
    this.column = column;
    this.shown = shown;
  }
}

/** `valueToNumber`, or a NotANumber naming the cell (`row` is called only then). */
export function requireNumber(value: unknown, path: string, column: string, row: () => string): number {
  const number = valueToNumber(value);
  if (number === undefined) throw new NotANumber(path, row(), column, showValue(value));
  return number;
}
