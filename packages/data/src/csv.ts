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
import {
  DONE,
  INCOMPLETE,
  STATE_FIELDS,
  STATE_LINE,
  STATE_POS,
  STATE_ROWS,
  STATE_STATUS,
  TEXT_AFTER_QUOTE,
  type Tokens,
  tokenArrays,
  tokenize,
  UNCLOSED_QUOTE,
  WIDER,
} from './tokenize.ts';

export interface CsvOptions {
  /** Field separator, one ASCII character; ',' by default. */
  delimiter?: string;
}

/** The delimiter's byte, or a user error for one the tokenizer cannot tell from a number or a quote. */
export function delimiterByte(delimiter = ','): number {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || /[0-9.+\-eE"\r\n]/.test(delimiter)) {
    throw new UserError(
      `CSV delimiter ${JSON.stringify(delimiter)} must be one ASCII character that cannot be part of a number or a quote`,
    );
  }
  return delimiter.charCodeAt(0);
}

/** The message of a tokenizer outcome that is an error (see tokenize.ts), given the header's width. */
export function tokenError(status: number, width: number): string {
  if (status === UNCLOSED_QUOTE) return 'a quoted field is never closed; close it with a double quote';
  if (status === TEXT_AFTER_QUOTE)
    return 'text follows a closing quote; quote the whole field and double any quote inside it';
  return `the row has more fields than the header (${width}); quote a field that holds the delimiter`;
}

/**
 * The line of the first of `rows` rows whose bytes are not UTF-8. A row spans from its first field
 * to the next row's first field (a quoted field starts after its quote).
 */
export function firstNonUtf8Line(bytes: Uint8Array, tokens: Tokens, width: number, rows: number): number {
  const rowStart = (r: number) => Math.max(0, tokens.starts[r * width]! - 1);
  for (let r = 0; r < rows; r++) {
    const end = r + 1 < rows ? rowStart(r + 1) : bytes.length;
    if (!isUtf8(bytes.subarray(rowStart(r), end))) return tokens.lines[r]!;
  }
  return tokens.lines[rows - 1]!;
}

export const NOT_UTF8 = 'not valid UTF-8; save the file as UTF-8';

/** A text batch over tokens; `release` hands its memory back to whoever reuses it. */
export function textBatch(
  names: readonly string[],
  rows: number,
  bytes: Buffer,
  tokens: Tokens,
  release?: (moved?: TextBatch) => void,
  movable = false,
): TextBatch {
  const { starts, ends, escaped, numbers } = tokens;
  return {
    kind: 'text',
    names,
    rows,
    bytes,
    lines: tokens.lines.subarray(0, rows),
    starts,
    ends,
    escaped,
    numbers,
    ...(release ? { release } : {}),
    ...(movable ? { movable } : {}),
  };
}

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
  /** Line (1-based) where the next record starts. */
  private line = 1;
  /** Token arrays being filled and their room in rows; `spare` holds a released batch's for reuse. */
  private tokens = tokenArrays(0, 0);
  private capacity = 0;
  private spare: { tokens: Tokens; capacity: number } | undefined;
  private spareBytes: Buffer | undefined;
  private readonly state = new Int32Array(5);

  /** `source` names the data in error messages. */
  constructor(source: string, options: CsvOptions = {}) {
    this.delimiter = delimiterByte(options.delimiter);
    this.source = source;
  }

  /** Column names, once the header has been read. */
  get header(): readonly string[] | undefined {
    return this.names;
  }

  /** Line (1-based) where the data not yet parsed starts. */
  get nextLine(): number {
    return this.line;
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

  /** Parses bytes that end where a record ends (or hold blank lines only), with nothing left over. */
  pushRecords(bytes: Buffer): TextBatch | undefined {
    return this.parse(bytes, true, false);
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

  /** Makes room for `rows` rows of `width` fields, keeping what is there. */
  private ensureCapacity(rows: number, width: number): void {
    if (this.capacity >= rows && this.tokens.starts.length >= rows * width) return;
    const current = this.tokens;
    const capacity = Math.max(rows, this.capacity * 2, 64);
    const grown = tokenArrays(capacity, width);
    grown.starts.set(current.starts.subarray(0, grown.starts.length));
    grown.ends.set(current.ends.subarray(0, grown.ends.length));
    grown.escaped.set(current.escaped.subarray(0, grown.escaped.length));
    grown.numbers.set(current.numbers.subarray(0, grown.numbers.length));
    grown.lines.set(current.lines.subarray(0, grown.lines.length));
    this.tokens = grown;
    this.capacity = capacity;
  }

  /** Parses the complete rows in `bytes`; `ownBytes` when the buffer is the parser's to reuse. */
  private parse(bytes: Buffer, final: boolean, ownBytes: boolean): TextBatch | undefined {
    let pos = 0;
    if (!this.names) {
      if (this.records === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
      pos = this.readHeader(bytes, pos, final);
      if (!this.names) {
        this.leftover = Buffer.from(bytes.subarray(pos));
        this.retryAt = 2 * bytes.length;
        return undefined;
      }
    }
    const width = this.names.length;
    const len = bytes.length;
    const state = this.state;
    let rows = 0;
    this.ensureCapacity(Math.max(this.capacity, 1024), width);
    for (;;) {
      tokenize(
        bytes,
        pos,
        final,
        this.delimiter,
        width,
        this.tokens,
        rows,
        this.capacity,
        this.line,
        state,
        false,
      );
      pos = state[STATE_POS]!;
      rows = state[STATE_ROWS]!;
      this.line = state[STATE_LINE]!;
      const status = state[STATE_STATUS]!;
      if (status > INCOMPLETE) throw this.error(tokenError(status, width));
      if (status === DONE && pos < len && rows === this.capacity) {
        this.ensureCapacity(rows * 2, width);
        continue;
      }
      break;
    }
    this.records += rows;
    this.leftover = pos < len ? Buffer.from(bytes.subarray(pos)) : undefined;
    this.retryAt = rows === 0 && !final ? 2 * len : 0;
    if (rows === 0) return undefined;
    const used = this.tokens;
    const usedCapacity = this.capacity;
    if (!isUtf8(bytes.subarray(0, pos)))
      throw this.errorAt(firstNonUtf8Line(bytes, used, width, rows), NOT_UTF8);
    const batch = textBatch(this.names, rows, bytes, used, () => {
      this.spare = { tokens: used, capacity: usedCapacity };
      if (ownBytes)
        this.spareBytes = Buffer.from(
          bytes.buffer,
          bytes.byteOffset,
          bytes.buffer.byteLength - bytes.byteOffset,
        );
    });
    // The batch keeps its arrays; the next one gets a released batch's arrays, or fresh ones.
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.capacity >= usedCapacity) {
      this.tokens = spare.tokens;
      this.capacity = spare.capacity;
    } else {
      this.tokens = tokenArrays(usedCapacity, width);
    }
    return batch;
  }

  /** Reads the header record into `names` when it is whole; returns where the rows start (or it does). */
  private readHeader(bytes: Buffer, pos: number, final: boolean): number {
    const state = this.state;
    for (let room = 256; ; room *= 2) {
      const tokens = tokenArrays(1, room);
      tokenize(bytes, pos, final, this.delimiter, room, tokens, 0, 1, this.line, state, true);
      const status = state[STATE_STATUS]!;
      if (status === WIDER) continue;
      if (status > INCOMPLETE) throw this.errorAt(state[STATE_LINE]!, tokenError(status, room));
      if (state[STATE_ROWS] === 0) {
        // Blank lines only so far, or a header that runs past the end: wait for more.
        this.line = state[STATE_LINE]!;
        return state[STATE_POS]!;
      }
      const end = state[STATE_POS]!;
      const headerLine = tokens.lines[0]!;
      if (!isUtf8(bytes.subarray(pos, end))) throw this.errorAt(headerLine, NOT_UTF8);
      this.records++;
      const names: string[] = [];
      for (let f = 0; f < state[STATE_FIELDS]!; f++) {
        const { starts, ends, escaped } = tokens;
        const text = bytes.toString('utf8', starts[f]!, ends[f]!);
        const name = (escaped[f] ? text.replaceAll('""', '"') : text).trim();
        const named = name === '' ? `column${f + 1}` : name;
        const first = names.indexOf(named);
        if (first >= 0) {
          throw this.errorAt(
            headerLine,
            `column ${JSON.stringify(named)} is named twice (columns ${first + 1} and ${f + 1}); give each column its own name`,
          );
        }
        names.push(named);
      }
      this.names = names;
      this.line = state[STATE_LINE]!;
      return end;
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
    yield textBatch(parser.header!, 0, Buffer.alloc(0), tokenArrays(0, 0));
  }
}
