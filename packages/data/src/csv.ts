/**
 * Streaming CSV parser (RFC 4180: quoted fields with doubled quotes, delimiters and line breaks
 * inside quotes, LF or CRLF line ends, a UTF-8 byte-order mark). It works on bytes and records field
 * offsets, so memory is a chunk and its offsets plus one partial row; plain decimals are read while
 * the field is scanned, so numbers never become strings. Written by hand because it is the measured
 * hot path of profiling (see bench/drift).
 *
 * Header names are trimmed; an empty one becomes `column<N>`, and a name used twice is an error.
 * Blank lines are skipped. A row with fewer fields than the header has the rest missing; a row with
 * more, an unterminated quote, text after a closing quote, or bytes that are not UTF-8 are errors
 * naming the file and the line (`data.csv:12: …`).
 *
 * A record longer than a chunk waits for more data; the parser retries it only once the buffered
 * bytes have doubled, so a file of one huge line is read in linear time.
 */
import { isUtf8 } from 'node:buffer';
import { UserError } from '@mlactions/core';
import type { TextBatch } from './batch.ts';
import { POW10 } from './bytes.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvOptions {
  /** Field separator, one ASCII character; ',' by default. */
  delimiter?: string;
}

/** The per-field arrays of a batch (see TextBatch). */
type FieldArrays = Pick<TextBatch, 'starts' | 'ends' | 'escaped' | 'numbers'>;

function fieldArrays(size: number): FieldArrays {
  return {
    starts: new Int32Array(size),
    ends: new Int32Array(size),
    escaped: new Uint8Array(size),
    numbers: new Float64Array(size),
  };
}

/** Result of parsing one record: the position after it, or INCOMPLETE when the buffer ends first. */
const INCOMPLETE = -1;

export class CsvParser {
  private readonly delimiter: number;
  private readonly source: string;
  private names: string[] | undefined;
  private leftover: Buffer | undefined;
  /** Chunks waiting until enough bytes have come to retry an unfinished record, and their size. */
  private waiting: Uint8Array[] = [];
  private waitingBytes = 0;
  private retryAt = 0;
  /** Records read so far, the header included. */
  private records = 0;
  /** Line (1-based) where the next record starts, and line breaks inside the record being read. */
  private line = 1;
  private breaks = 0;
  /** Line of each row of the batch being filled. */
  private rowLines = new Int32Array(1024);
  /** Offset arrays being filled; `spare` holds a released batch's arrays for reuse. */
  private fields = fieldArrays(0);
  private spare: FieldArrays | undefined;
  private spareBytes: Buffer | undefined;
  private fieldCount = 0;

  /** `source` names the data in error messages. */
  constructor(source: string, options: CsvOptions = {}) {
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || /[0-9.+\-eE"\r\n]/.test(delimiter)) {
      throw new UserError(
        `CSV delimiter ${JSON.stringify(delimiter)} must be one ASCII character that cannot be part of a number or a quote`,
      );
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.source = source;
  }

  /** Column names, once the header has been read. */
  get header(): readonly string[] | undefined {
    return this.names;
  }

  /** Parses the complete rows now available; the rest waits for the next chunk. */
  push(chunk: Uint8Array): TextBatch | undefined {
    if (!this.leftover)
      return this.parse(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false, false);
    this.waiting.push(chunk);
    this.waitingBytes += chunk.byteLength;
    if (this.leftover.length + this.waitingBytes < this.retryAt) return undefined;
    return this.parse(this.joined(), false, true);
  }

  /** The leftover and the waiting chunks in one buffer (the parser's own, reused between batches). */
  private joined(): Buffer {
    const leftover = this.leftover ?? Buffer.alloc(0);
    const size = leftover.length + this.waitingBytes;
    let target = this.spareBytes;
    this.spareBytes = undefined;
    if (!target || target.length < size) target = Buffer.allocUnsafeSlow(Math.max(size, 1 << 20));
    leftover.copy(target, 0);
    let at = leftover.length;
    for (const chunk of this.waiting) {
      target.set(chunk, at);
      at += chunk.byteLength;
    }
    this.waiting = [];
    this.waitingBytes = 0;
    return target.subarray(0, size);
  }

  /** Parses what is left at the end of the data. */
  finish(): TextBatch | undefined {
    const bytes = this.leftover || this.waitingBytes > 0 ? this.joined() : Buffer.alloc(0);
    this.leftover = undefined;
    const batch = this.parse(bytes, true, false);
    if (!this.names) throw new UserError(`${this.source}: the CSV file is empty; it needs a header row`);
    return batch;
  }

  private ensureCapacity(count: number): void {
    const current = this.fields;
    if (current.starts.length >= count) return;
    const grown = fieldArrays(Math.max(count, current.starts.length * 2));
    grown.starts.set(current.starts);
    grown.ends.set(current.ends);
    grown.escaped.set(current.escaped);
    grown.numbers.set(current.numbers);
    this.fields = grown;
  }

  /** Parses the complete rows in `bytes`; `ownBytes` when the buffer is the parser's to reuse. */
  private parse(bytes: Buffer, final: boolean, ownBytes: boolean): TextBatch | undefined {
    let pos = 0;
    if (!this.names) {
      if (this.records === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
      const end = this.readHeader(bytes, pos, final);
      if (end === INCOMPLETE) {
        this.leftover = Buffer.from(bytes.subarray(pos));
        this.retryAt = 2 * bytes.length;
        return undefined;
      }
      pos = end;
    }
    const width = this.names!.length;
    let rows = 0;
    const len = bytes.length;
    while (pos < len) {
      const c = bytes[pos];
      if (c === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (c === CR) {
        if (pos + 1 >= len && !final) break;
        pos += bytes[pos + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      this.ensureCapacity((rows + 1) * width);
      if (rows === this.rowLines.length) {
        const grown = new Int32Array(rows * 2);
        grown.set(this.rowLines);
        this.rowLines = grown;
      }
      this.breaks = 0;
      const end = this.readRecord(bytes, pos, final, rows * width, width);
      if (end === INCOMPLETE) break;
      this.records++;
      this.rowLines[rows] = this.line;
      this.line += this.breaks + 1;
      for (let f = this.fieldCount; f < width; f++) {
        this.fields.starts[rows * width + f] = -1;
        this.fields.numbers[rows * width + f] = Number.NaN;
      }
      rows++;
      pos = end;
    }
    this.leftover = pos < len ? Buffer.from(bytes.subarray(pos)) : undefined;
    this.retryAt = rows === 0 && !final ? 2 * len : 0;
    if (rows === 0) return undefined;
    const lines = this.rowLines.slice(0, rows);
    if (!isUtf8(bytes.subarray(0, pos))) throw this.notUtf8(bytes, lines, rows);
    const used = this.fields;
    const batch: TextBatch = {
      kind: 'text',
      names: this.names!,
      rows,
      bytes,
      lines,
      ...used,
      release: () => {
        this.spare = used;
        if (ownBytes)
          this.spareBytes = Buffer.from(
            bytes.buffer,
            bytes.byteOffset,
            bytes.buffer.byteLength - bytes.byteOffset,
          );
      },
    };
    // The batch keeps its arrays; the next one gets a released batch's arrays, or fresh ones.
    const spare = this.spare;
    this.spare = undefined;
    this.fields =
      spare && spare.starts.length >= used.starts.length ? spare : fieldArrays(used.starts.length);
    return batch;
  }

  /** Reads the header record into `names`. */
  private readHeader(bytes: Buffer, pos: number, final: boolean): number {
    // Skip blank lines before the header (counted only once the header is whole).
    let blank = 0;
    while (pos < bytes.length && (bytes[pos] === LF || bytes[pos] === CR)) {
      if (bytes[pos] === LF || bytes[pos + 1] !== LF) blank++;
      pos++;
    }
    if (pos >= bytes.length) return INCOMPLETE;
    let capacity = 256;
    for (;;) {
      this.ensureCapacity(capacity);
      this.breaks = 0;
      const end = this.readRecord(bytes, pos, final, 0, capacity);
      if (end === INCOMPLETE) return INCOMPLETE;
      if (this.fieldCount < capacity) {
        this.line += blank;
        if (!isUtf8(bytes.subarray(pos, end))) throw this.error('not valid UTF-8; save the file as UTF-8');
        this.records++;
        const names: string[] = [];
        for (let f = 0; f < this.fieldCount; f++) {
          const { starts, ends, escaped } = this.fields;
          const text = bytes.toString('utf8', starts[f]!, ends[f]!);
          const name = (escaped[f] ? text.replaceAll('""', '"') : text).trim();
          const named = name === '' ? `column${f + 1}` : name;
          const first = names.indexOf(named);
          if (first >= 0) {
            throw this.error(
              `column ${JSON.stringify(named)} is named twice (columns ${first + 1} and ${f + 1}); give each column its own name`,
            );
          }
          names.push(named);
        }
        this.names = names;
        this.line += this.breaks + 1;
        return end;
      }
      capacity *= 2;
    }
  }

  /** The error for the first row of a batch whose bytes are not UTF-8. */
  private notUtf8(bytes: Buffer, lines: Int32Array, rows: number): UserError {
    const width = this.names!.length;
    const { starts } = this.fields;
    // A row spans from its first field to the next row's first field (a quoted field starts after its quote).
    const rowStart = (r: number) => Math.max(0, starts[r * width]! - 1);
    for (let r = 0; r < rows; r++) {
      const end = r + 1 < rows ? rowStart(r + 1) : bytes.length;
      if (!isUtf8(bytes.subarray(rowStart(r), end)))
        return this.errorAt(lines[r]!, 'not valid UTF-8; save the file as UTF-8');
    }
    return this.errorAt(lines[rows - 1]!, 'not valid UTF-8; save the file as UTF-8');
  }

  /**
   * Reads one record starting at `pos` into the offset arrays at `base`, at most `width` fields
   * (`fieldCount` tells how many it had; width + 0 means "too many" for the header's doubling).
   * Returns the position after its line end, or INCOMPLETE.
   */
  private readRecord(bytes: Buffer, pos: number, final: boolean, base: number, width: number): number {
    const len = bytes.length;
    const delimiter = this.delimiter;
    const highest = Math.max(delimiter, CR);
    const { starts, ends, escaped, numbers } = this.fields;
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
            if (final) throw this.error('a quoted field is never closed; close it with a double quote');
            return INCOMPLETE;
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
        for (let b = bytes.indexOf(LF, start); b !== -1 && b < end; b = bytes.indexOf(LF, b + 1))
          this.breaks++;
        const next = bytes[pos];
        if (pos < len && next !== delimiter && next !== LF && next !== CR) {
          throw this.error(
            'text follows a closing quote; quote the whole field and double any quote inside it',
          );
        }
      } else {
        start = pos;
        // A plain decimal ([+-]digits[.digits], at most 15 digits) is read while the field is scanned,
        // so numeric columns need no second pass; its value is exact (see parseDecimalBytes).
        let c = pos < len ? bytes[pos]! : 0;
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
            // Digits, letters, '-' and '.' are above every special byte: one comparison for most bytes.
            if (c <= highest && (c === delimiter || c === LF || c === CR)) break;
            pos++;
          }
        }
        end = pos;
      }
      if (field >= width) {
        if (base === 0 && !this.names) {
          this.fieldCount = width;
          return pos;
        }
        throw this.error(
          `the row has more fields than the header (${width}); quote a field that holds the delimiter`,
        );
      }
      const k = base + field;
      starts[k] = start;
      ends[k] = end;
      escaped[k] = escapes;
      numbers[k] = value;
      field++;
      if (pos >= len) {
        if (!final) return INCOMPLETE;
        this.fieldCount = field;
        return pos;
      }
      const c = bytes[pos];
      if (c === delimiter) {
        pos++;
        continue;
      }
      this.fieldCount = field;
      if (c === CR) {
        if (pos + 1 >= len && !final) return INCOMPLETE;
        return bytes[pos + 1] === LF ? pos + 2 : pos + 1;
      }
      return pos + 1;
    }
  }

  /** An error at the record being read (at the line where it starts). */
  private error(problem: string): UserError {
    return this.errorAt(this.line, problem);
  }

  private errorAt(line: number, problem: string): UserError {
    return new UserError(`${this.source}:${line}: ${problem}`);
  }
}

/** Parses a CSV byte stream into batches of rows (one per chunk, roughly). */
export async function* readCsv(
  stream: AsyncIterable<Uint8Array>,
  source: string,
  options: CsvOptions = {},
): AsyncGenerator<TextBatch> {
  const parser = new CsvParser(source, options);
  let rows = 0;
  for await (const chunk of stream) {
    const batch = parser.push(chunk);
    if (batch) {
      rows += batch.rows;
      yield batch;
    }
  }
  const last = parser.finish();
  if (last) yield last;
  else if (rows === 0) {
    // A header without rows still tells which columns the data has.
    yield {
      kind: 'text',
      names: parser.header!,
      rows: 0,
      bytes: Buffer.alloc(0),
      lines: new Int32Array(0),
      ...fieldArrays(0),
    };
  }
}
