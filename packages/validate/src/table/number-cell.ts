/** Exact powers of ten: every one up to 1e22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Cell texts that mean "no value": fed to the model as NaN (tree models route them, as in training). */
const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'NA', 'N/A', 'null', 'NULL', 'None']);

const INFINITE = new Map([
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['Infinity', Infinity],
  ['+Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

/** Where the last `scanDecimal` stopped: the index after the number's last byte. */
export let scanEnd = 0;

/**
 * Reads the decimal number that starts at `start` (stopping at `limit` or the first byte that cannot
 * continue it), correctly rounded to a double, and leaves the index after it in `scanEnd`. NaN when
 * no number starts there (the caller then asks `parseNumberText`, which knows the spellings of
 * missing and infinite values). The CSV reader calls this on a cell in place, so the bytes are read
 * once, and checks that a delimiter follows.
 *
 * The fast path is Clinger's: up to 15 digits and a power of ten up to 1e22 are both exact doubles, so
 * one multiplication or division rounds once, correctly. Anything longer goes to `Number`.
 */
export function scanDecimal(buf: Uint8Array, start: number, limit: number): number {
  let i = start;
  let c = buf[i];
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  const integerStart = i;
  for (; i < limit; i++) {
    const d = buf[i]! - 48;
    if (d >>> 0 > 9) break;
    mantissa = mantissa * 10 + d;
  }
  let digits = i - integerStart;
  let exponent = 0;
  if (i < limit && buf[i] === 46) {
    const fractionStart = ++i;
    for (; i < limit; i++) {
      const d = buf[i]! - 48;
      if (d >>> 0 > 9) break;
      mantissa = mantissa * 10 + d;
    }
    exponent = fractionStart - i;
    digits += i - fractionStart;
  }
  if (digits === 0) {
    scanEnd = i;
    return Number.NaN;
  }
  c = buf[i];
  if (i < limit && (c === 101 || c === 69)) {
    let j = i + 1;
    c = buf[j];
    const expNegative = c === 45;
    if (expNegative || c === 43) j++;
    const expStart = j;
    let e = 0;
    for (; j < limit; j++) {
      const d = buf[j]! - 48;
      if (d >>> 0 > 9) break;
      if (e < 100_000) e = e * 10 + d;
    }
    if (j === expStart) {
      scanEnd = j;
      return Number.NaN;
    }
    i = j;
    exponent += expNegative ? -e : e;
  }
  scanEnd = i;
  if (digits > 15 || exponent > 22 || exponent < -22) return slowDecimal(buf, start, i);
  const value = exponent >= 0 ? mantissa * POW10[exponent]! : mantissa / POW10[-exponent]!;
  return negative ? -value : value;
}

/** The decimal number that is exactly bytes [start, end), or NaN when they are not one. */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number): number {
  const value = scanDecimal(buf, start, end);
  return scanEnd === end ? value : Number.NaN;
}

function slowDecimal(buf: Uint8Array, start: number, end: number): number {
  return Number(String.fromCharCode(...buf.subarray(start, end)));
}

/**
 * The value of a numeric cell's text: a decimal, a missing marker (NaN), or an infinity; undefined
 * when the text is not a number at all (the reader then reports the row and column).
 */
export function parseNumberText(text: string): number | undefined {
  const trimmed = text.trim();
  if (MISSING.has(trimmed)) return Number.NaN;
  const infinite = INFINITE.get(trimmed);
  if (infinite !== undefined) return infinite;
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}
