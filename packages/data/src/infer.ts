/**
 * Column types, inferred from the first rows of the reference (10,000 by default) unless the user
 * names a type. The rules, applied to a column's non-missing values in that sample, in this order:
 *
 * 1. no value at all → `categorical` (and the column is reported empty);
 * 2. every value a boolean word or boolean (true/false, t/f, yes/no, y/n, any case) → `boolean`;
 *    every value 0 or 1 with both present → `boolean` too;
 * 3. every value an ISO 8601 date or date-time (or a Parquet date/timestamp) → `timestamp`;
 * 4. every value a number → `numeric`, except an `id`: integers whose name looks like an id (`id`,
 *    `*_id`, `*-id`, `* id`, `*Id`, `*ID`) with at least 90% distinct values, or integers that are all
 *    distinct and strictly increasing over at least 20 rows (a row number);
 * 5. anything else → `categorical`, except an `id`: an id-like name with at least 90% distinct values,
 *    or all of at least 20 values distinct.
 *
 * `id` and `timestamp` columns are profiled but left out of the drift tests unless asked for.
 */
import { parseBooleanValue, parseNumberValue, parseTimestampValue } from './values.ts';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'id' | 'timestamp';

export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'id', 'timestamp'];

export interface Inference {
  type: ColumnType;
  /** Which rule decided, in words, for the report. */
  reason: string;
}

/** Distinct share at or above which an id-like name makes a column an id. */
const ID_DISTINCT_SHARE = 0.9;
/** Rows needed before "all distinct" alone makes a column an id. */
const ID_MIN_ROWS = 20;

/** True for names like id, user_id, user-id, "user id", userId, userID. */
export function isIdLikeName(name: string): boolean {
  return /^id$/i.test(name.trim()) || /[_\- .]id$/i.test(name) || /[a-z0-9](?:Id|ID)$/.test(name);
}

function distinctCount(values: readonly unknown[]): number {
  return new Set(values.map((v) => (typeof v === 'string' ? v.trim() : String(v)))).size;
}

/** Infers a column's type from its non-missing sample values (see the module rules). */
export function inferColumnType(name: string, values: readonly unknown[]): Inference {
  const n = values.length;
  if (n === 0) return { type: 'categorical', reason: 'no values in the sampled rows' };

  if (values.every((v) => parseBooleanValue(v) !== undefined)) {
    return { type: 'boolean', reason: 'every value is a boolean word' };
  }
  const numbers = values.map(parseNumberValue);
  if (numbers.every((x) => x === 0 || x === 1) && numbers.includes(0) && numbers.includes(1)) {
    return { type: 'boolean', reason: 'every value is 0 or 1' };
  }
  if (values.every((v) => parseTimestampValue(v) !== undefined)) {
    return { type: 'timestamp', reason: 'every value is an ISO 8601 date or time' };
  }
  const idLike = isIdLikeName(name);
  if (numbers.every((x) => x !== undefined)) {
    const integers = numbers.every((x) => Number.isInteger(x));
    if (integers && idLike && distinctCount(values) >= ID_DISTINCT_SHARE * n) {
      return { type: 'id', reason: 'integers, mostly distinct, under an id-like name' };
    }
    if (integers && n >= ID_MIN_ROWS && numbers.every((x, i) => i === 0 || x! > numbers[i - 1]!)) {
      return { type: 'id', reason: 'distinct, strictly increasing integers (a row number)' };
    }
    return { type: 'numeric', reason: 'every value is a number' };
  }
  const distinct = distinctCount(values);
  if (idLike && distinct >= ID_DISTINCT_SHARE * n) {
    return { type: 'id', reason: 'mostly distinct values under an id-like name' };
  }
  if (n >= ID_MIN_ROWS && distinct === n) return { type: 'id', reason: 'every value is distinct' };
  return { type: 'categorical', reason: 'values are not all numbers, booleans or dates' };
}
