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

/** `valueToNumber`, or an error naming the column and where the row is (`where` is called only then). */
export function requireNumber(value: unknown, column: string, where: () => string): number {
  const number = valueToNumber(value);
  if (number === undefined) {
    throw new UserError(`${where()}, column ${JSON.stringify(column)}: ${showValue(value)} is not a number`);
  }
  return number;
}
