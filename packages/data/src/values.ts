/**
 * How a single cell is read: what counts as missing, as a number, as a boolean, as a timestamp. CSV
 * text, JSON values and Parquet values all go through these functions (CSV's fast byte path in
 * csv.ts only short-cuts the plain-decimal case and agrees with `parseNumberText`).
 *
 * Rules:
 * - Missing: null/undefined, NaN, and the texts "", "NA", "N/A", "NaN", "null", "None" (any case,
 *   surrounding spaces ignored). ±Infinity is a number here; drift profiles count it as missing in a
 *   numeric column (no statistic can use it), a model is fed it as it is.
 * - Number: decimal text `[+-]digits[.digits][e[+-]digits]` (surrounding spaces allowed; no thousands
 *   separators, no hex), "inf"/"infinity" with an optional sign (any case), or a JSON/Parquet number,
 *   bigint or boolean (1 and 0).
 * - Boolean: true/false, t/f, yes/no, y/n in any case, a JSON/Parquet boolean, and in a column already
 *   typed boolean also 1/0.
 * - Timestamp: an ISO 8601 date `YYYY-MM-DD`, optionally followed by `T` or a space, `hh:mm[:ss[.fff]]`
 *   and a zone (`Z`, `±hh:mm`, `±hhmm`), or a Parquet date/timestamp. Read as seconds since 1970 UTC.
 */

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none']);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n']);
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for texts that mean "no value". */
export function isMissingText(text: string): boolean {
  const trimmed = text.length > 5 ? text.trim() : text;
  return trimmed.length <= 5 && MISSING.has(trimmed.trim().toLowerCase());
}

/** True for cells that mean "no value" (see the module rules). */
export function isMissingValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') return isMissingText(value);
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return false;
}

/** The number a text spells (±Infinity for "inf"), or undefined when it is not numeric. */
export function parseNumberText(text: string): number | undefined {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const infinity = INFINITY.exec(trimmed);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

/** The number a cell holds (a boolean as 1 or 0), or undefined when it is not numeric. */
export function parseNumberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseNumberText(value);
  return undefined;
}

/** The boolean a word spells, or undefined. `allowDigits` also reads 1 and 0. */
export function parseBooleanText(text: string, allowDigits = false): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word) || (allowDigits && word === '1')) return true;
  if (FALSE_WORDS.has(word) || (allowDigits && word === '0')) return false;
  return undefined;
}

/** The boolean a cell holds (1/0 included when `allowDigits`), or undefined. */
export function parseBooleanValue(value: unknown, allowDigits = false): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return parseBooleanText(value, allowDigits);
  if (allowDigits && (typeof value === 'number' || typeof value === 'bigint')) {
    if (Number(value) === 1) return true;
    if (Number(value) === 0) return false;
  }
  return undefined;
}

/** Seconds since 1970-01-01T00:00:00Z for an ISO 8601 text (no zone means UTC), or undefined. */
export function parseTimestampText(text: string): number | undefined {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, zone] = match;
  let iso = time ? `${date}T${time.length === 5 ? `${time}:00` : time}` : `${date}T00:00:00`;
  if (zone === undefined || zone === 'Z') iso += 'Z';
  else iso += zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Seconds since 1970 for a Date or an ISO text cell, or undefined. */
export function parseTimestampValue(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'string') return parseTimestampText(value);
  return undefined;
}

/** The text of a categorical cell: strings as they are, other values in their JSON form. */
export function categoryOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}
