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

/**
 * Parses the decimal number in bytes [start, end) of an ASCII/UTF-8 buffer, correctly rounded to a
 * double. Returns NaN when the bytes are not a plain decimal (the caller then asks
 * `parseNumberText`, which knows the spellings of missing and infinite values).
 *
 * The fast path is Clinger's: at most 15 significant digits and a power of ten up to 1e22 are both
 * exact doubles, so one multiplication or division rounds once, correctly. Anything else goes to
 * `Number`, which is correct but slower.
 */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = buf[i];
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    if (significant > 0 || d !== 0) {
      mantissa = mantissa * 10 + d;
      significant++;
    }
    digits++;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      if (significant > 0 || d !== 0) {
        mantissa = mantissa * 10 + d;
        significant++;
      }
      exponent--;
      digits++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let expNegative = false;
    c = buf[i];
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      i++;
    }
    let e = 0;
    const expStart = i;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      if (e < 100_000) e = e * 10 + d;
    }
    if (i === expStart) return Number.NaN;
    exponent += expNegative ? -e : e;
  }
  if (i !== end) return Number.NaN;
  if (significant > 15 || exponent > 22 || exponent < -22) return slowDecimal(buf, start, end);
  const value = exponent >= 0 ? mantissa * POW10[exponent]! : mantissa / POW10[-exponent]!;
  return negative ? -value : value;
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
