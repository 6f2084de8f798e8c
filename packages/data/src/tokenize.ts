/**
 * The CSV tokenizer: records of bytes into field offsets (RFC 4180: quoted fields with doubled
 * quotes, delimiters and line breaks inside quotes, LF, CRLF or CR line ends). Plain decimals are
 * read while a field is scanned, so numbers never become strings. The calling thread's parser
 * (csv.ts) and the worker threads (parallel.ts) both run it.
 *
 * It refers to nothing outside its own body: the workers run it from its source text.
 */

/** Where tokens go: field k = row × width + column (see TextBatch), and each row's first line. */
export interface Tokens {
  starts: Int32Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
  escaped: Uint8Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
  lines: Int32Array<ArrayBuffer>;
}

/** Slots of the state array `tokenize` writes its result to. */
export const STATE_POS = 0;
export const STATE_ROWS = 1;
export const STATE_LINE = 2;
export const STATE_STATUS = 3;
export const STATE_FIELDS = 4;

/** Outcomes (STATE_STATUS). */
export const DONE = 0;
export const INCOMPLETE = 1;
export const UNCLOSED_QUOTE = 2;
export const TEXT_AFTER_QUOTE = 3;
export const TOO_MANY_FIELDS = 4;
/** In header mode: the record has more fields than `width`; call again with more room. */
export const WIDER = 5;

/** Fresh token arrays for `rows` rows of `width` fields. */
export function tokenArrays(rows: number, width: number): Tokens {
  const size = rows * width;
  return {
    starts: new Int32Array(size),
    ends: new Int32Array(size),
    escaped: new Uint8Array(size),
    numbers: new Float64Array(size),
    lines: new Int32Array(rows),
  };
}

/**
 * Tokenizes records from bytes[pos …] into rows `row`, `row + 1`, … of `out` until the data or
 * `maxRows` ends (blank lines are skipped, short rows padded with missing fields). `line` is the
 * line where bytes[pos] is. Writes to `state`: the position after the last whole record (or of the
 * record that stopped it), the next row, the line there, an outcome (DONE, INCOMPLETE when `final`
 * is false and a record runs past the end, or an error, whose record starts at STATE_LINE), and the
 * last record's field count. `header` reads one record of at most `width` fields (WIDER if more).
 */
export function tokenize(
  bytes: Uint8Array,
  pos: number,
  final: boolean,
  delimiter: number,
  width: number,
  out: Tokens,
  row: number,
  maxRows: number,
  line: number,
  state: Int32Array,
  header: boolean,
): void {
  const QUOTE = 0x22;
  const LF = 0x0a;
  const CR = 0x0d;
  // Exact powers of ten: a mantissa of at most 15 digits divided by one is correctly rounded.
  const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
  const len = bytes.length;
  // Digits, letters, '-' and '.' are above every special byte: one comparison for most bytes.
  const highest = Math.max(delimiter, CR);
  const { starts, ends, escaped, numbers, lines } = out;
  // The last line break: an unquoted field that starts before it ends at or before it.
  const safe = bytes.lastIndexOf(LF);
  let status = 0;
  let fields = 0;
  records: while (row < maxRows && pos < len) {
    let c = bytes[pos]!;
    if (c === LF) {
      pos++;
      line++;
      continue;
    }
    if (c === CR) {
      if (pos + 1 >= len && !final) {
        status = 1;
        break;
      }
      pos += bytes[pos + 1] === LF ? 2 : 1;
      line++;
      continue;
    }
    const recordStart = pos;
    const base = row * width;
    let breaks = 0;
    let field = 0;
    for (;;) {
      let start: number;
      let end: number;
      let escapes = 0;
      let value = Number.NaN;
      if (bytes[pos] === QUOTE) {
        start = pos + 1;
        let p = start;
        for (;;) {
          const q = bytes.indexOf(QUOTE, p);
          if (q === -1 || (q + 1 >= len && !final)) {
            status = final ? 2 : 1;
            pos = recordStart;
            break records;
          }
          if (bytes[q + 1] === QUOTE) {
            escapes = 1;
            p = q + 2;
            continue;
          }
          end = q;
          pos = q + 1;
          break;
        }
        for (let b = bytes.indexOf(LF, start); b !== -1 && b < end; b = bytes.indexOf(LF, b + 1)) breaks++;
        const next = bytes[pos];
        if (pos < len && next !== delimiter && next !== LF && next !== CR) {
          status = 3;
          pos = recordStart;
          break records;
        }
      } else if (pos < safe) {
        // bytes[safe] is a line break, so every scan below stops at or before it: no bounds checks.
        start = pos;
        c = bytes[pos]!;
        const negative = c === 0x2d;
        if (negative || c === 0x2b) c = bytes[++pos]!;
        // Up to 9 digits add up in a 32-bit integer with nothing counted per digit (the count comes
        // from positions); a longer number is read again in doubles.
        const digitsFrom = pos;
        let small = 0;
        let d = c - 0x30;
        while (d >>> 0 <= 9) {
          small = (small * 10 + d) | 0;
          d = bytes[++pos]! - 0x30;
        }
        let digits = pos - digitsFrom;
        let scale = 0;
        if (d === 0x2e - 0x30) {
          const fraction = ++pos;
          d = bytes[pos]! - 0x30;
          while (d >>> 0 <= 9) {
            small = (small * 10 + d) | 0;
            d = bytes[++pos]! - 0x30;
          }
          scale = pos - fraction;
          digits += scale;
        }
        c = d + 0x30;
        if (digits > 0 && digits <= 15 && (c === delimiter || c === LF || c === CR)) {
          let mantissa = small;
          if (digits > 9) {
            mantissa = 0;
            for (let p = digitsFrom; p < pos; p++) {
              const e = bytes[p]! - 0x30;
              if (e >>> 0 <= 9) mantissa = mantissa * 10 + e;
            }
          }
          value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
          if (negative) value = -value;
        } else {
          while (!(c <= highest && (c === delimiter || c === LF || c === CR))) c = bytes[++pos]!;
        }
        end = pos;
      } else {
        start = pos;
        // A plain decimal ([+-]digits[.digits], at most 15 digits) is read while the field is scanned;
        // its value is exact (as parseDecimalBytes in bytes.ts, with which it agrees).
        c = pos < len ? bytes[pos]! : 0;
        const negative = c === 0x2d;
        if (negative || c === 0x2b) c = ++pos < len ? bytes[pos]! : 0;
        let mantissa = 0;
        let digits = 0;
        let scale = 0;
        while ((c - 0x30) >>> 0 <= 9 && pos < len) {
          mantissa = mantissa * 10 + (c - 0x30);
          digits++;
          c = ++pos < len ? bytes[pos]! : 0;
        }
        if (c === 0x2e && pos < len) {
          c = ++pos < len ? bytes[pos]! : 0;
          while ((c - 0x30) >>> 0 <= 9 && pos < len) {
            mantissa = mantissa * 10 + (c - 0x30);
            digits++;
            scale++;
            c = ++pos < len ? bytes[pos]! : 0;
          }
        }
        if (digits > 0 && digits <= 15 && (pos >= len || c === delimiter || c === LF || c === CR)) {
          value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
          if (negative) value = -value;
        } else {
          while (pos < len) {
            c = bytes[pos]!;
            if (c <= highest && (c === delimiter || c === LF || c === CR)) break;
            pos++;
          }
        }
        end = pos;
      }
      if (field >= width) {
        status = header ? 5 : 4;
        pos = recordStart;
        break records;
      }
      const k = base + field;
      starts[k] = start;
      ends[k] = end;
      escaped[k] = escapes;
      numbers[k] = value;
      field++;
      if (pos >= len) {
        if (!final) {
          status = 1;
          pos = recordStart;
          break records;
        }
        break;
      }
      c = bytes[pos]!;
      if (c === delimiter) {
        pos++;
        continue;
      }
      if (c === CR) {
        if (pos + 1 >= len && !final) {
          status = 1;
          pos = recordStart;
          break records;
        }
        pos += bytes[pos + 1] === LF ? 2 : 1;
      } else pos++;
      break;
    }
    fields = field;
    if (!header) {
      for (let f = field; f < width; f++) {
        starts[base + f] = -1;
        numbers[base + f] = Number.NaN;
      }
    }
    lines[row] = line;
    line += breaks + 1;
    row++;
    if (header) break;
  }
  state[0] = pos;
  state[1] = row;
  state[2] = line;
  state[3] = status;
  state[4] = fields;
}
