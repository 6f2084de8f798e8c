/**
 * Byte-level short cuts for CSV fields, used before any string is made. Each agrees with its text
 * counterpart in values.ts on every input it accepts and declines (NaN / false) everything else, so
 * the caller falls back to the text rule.
 */

/** Exact powers of ten: a mantissa below 2^53 divided or multiplied by one is correctly rounded. */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT = 2 ** 53;

/**
 * The value of a plain decimal field `[+-]digits[.digits][e[+-]digits]` in bytes[start … end), or NaN
 * when the field has any other form or needs more than 15–16 significant digits or a large exponent
 * (then `parseNumberText` decides). Uses the Clinger fast path, so the result equals `Number(text)`.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = bytes[i]!;
  if (c === 0x2d) {
    negative = true;
    i++;
  } else if (c === 0x2b) {
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  while (i < end) {
    const d = bytes[i]! - 0x30;
    if (d >>> 0 > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
    i++;
  }
  if (i < end && bytes[i] === 0x2e) {
    i++;
    while (i < end) {
      const d = bytes[i]! - 0x30;
      if (d >>> 0 > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      exponent--;
      i++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end) {
    c = bytes[i]!;
    if (c !== 0x65 && c !== 0x45) return Number.NaN;
    i++;
    let sign = 1;
    if (bytes[i] === 0x2d) {
      sign = -1;
      i++;
    } else if (bytes[i] === 0x2b) {
      i++;
    }
    let e = 0;
    let eDigits = 0;
    while (i < end) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9 || eDigits > 4) return Number.NaN;
      e = e * 10 + d;
      eDigits++;
      i++;
    }
    if (eDigits === 0) return Number.NaN;
    exponent += sign * e;
  }
  if (mantissa >= MAX_EXACT) return Number.NaN;
  let value: number;
  if (exponent === 0) value = mantissa;
  else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent]!;
  else if (exponent > 0 && exponent <= 22) value = mantissa * POW10[exponent]!;
  else return Number.NaN;
  return negative ? -value : value;
}

/** Lower-cases an ASCII letter byte. */
const lower = (c: number): number => c | 0x20;

/**
 * True when bytes[start … end) is a missing-value token (empty, NA, N/A, NaN, null, None, any case).
 * Fields with surrounding white space return false here; the text rule decides those.
 */
export function isMissingBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0) return true;
  if (length > 4 || lower(bytes[start]!) !== 0x6e) return false;
  const b1 = lower(bytes[start + 1]!);
  if (length === 2) return b1 === 0x61; // na
  const b2 = lower(bytes[start + 2]!);
  if (length === 3) return (bytes[start + 1] === 0x2f && b2 === 0x61) || (b1 === 0x61 && b2 === 0x6e); // n/a, nan
  const b3 = lower(bytes[start + 3]!);
  return (b1 === 0x75 && b2 === 0x6c && b3 === 0x6c) || (b1 === 0x6f && b2 === 0x6e && b3 === 0x65); // null, none
}

/**
 * True when a field starts or ends with white space that `String.prototype.trim` removes (ASCII
 * space, tab and line breaks, and the Unicode spaces such as U+00A0 and U+3000), so that the byte
 * short cuts, which do not trim, leave the field to the text rule.
 */
export function hasOuterSpace(bytes: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  const a = bytes[start]!;
  const b = bytes[end - 1]!;
  if (a < 0x80 && b < 0x80) return isAsciiSpace(a) || isAsciiSpace(b);
  return (
    isAsciiSpace(a) ||
    isAsciiSpace(b) ||
    isTrimmedText(firstChar(bytes, start, end)) ||
    isTrimmedText(lastChar(bytes, start, end))
  );
}

function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

const SPACE = /^\s$/u;

function isTrimmedText(char: string): boolean {
  return char.length > 0 && SPACE.test(char);
}

/** The field's first character when it is not ASCII (empty otherwise): at most 3 bytes decide. */
function firstChar(bytes: Uint8Array, start: number, end: number): string {
  if (bytes[start]! < 0xc0) return '';
  return DECODER.decode(bytes.subarray(start, Math.min(end, start + 3))).slice(0, 1);
}

/** The field's last character when it is not ASCII (empty otherwise). */
function lastChar(bytes: Uint8Array, start: number, end: number): string {
  if (bytes[end - 1]! < 0x80) return '';
  let i = end - 1;
  while (i > start && i > end - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  return DECODER.decode(bytes.subarray(i, end)).slice(-1);
}

// ignoreBOM: a field's leading U+FEFF is a character here (trim removes it), not a byte-order mark.
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
