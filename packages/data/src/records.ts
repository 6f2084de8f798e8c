/**
 * Cuts a CSV byte stream into pieces that end where a record ends, so that each piece can be
 * tokenized on its own (by a worker thread). It follows quotes as the tokenizer does — a quote opens a
 * quoted field only at the start of a field, `""` inside one stands for a quote — and cuts after the
 * last line break outside quotes: an LF, or a lone CR when the data has no LF. Its work per chunk is
 * a search for quotes and one for the last line break, both native byte searches.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class RecordSplitter {
  private readonly delimiter: number;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private inQuote = false;
  /** Inside quotes, the chunk ended on a quote: it closes the field unless a quote comes next. */
  private quoteAtEnd = false;
  /** The byte before the next chunk (a line break at the start: a field starts there). */
  private previous = LF;
  private sawLf = false;
  private first = true;
  /** Where quoted fields of the current chunk open and close (close -1: open at its end). */
  private opens: number[] = [];
  private closes: number[] = [];

  private readonly allocate: (size: number) => Buffer;

  /** `allocate` gives a buffer of `size` bytes that owns its whole ArrayBuffer (to hand to a thread). */
  constructor(delimiter: number, allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow) {
    this.delimiter = delimiter;
    this.allocate = allocate;
  }

  /** Takes a chunk; returns the held bytes up to the last record end, when there is one. */
  push(chunk: Buffer): Buffer | undefined {
    const cut = this.scan(chunk);
    if (cut < 0) {
      this.hold(chunk);
      return undefined;
    }
    const piece = this.take(chunk.subarray(0, cut));
    if (cut < chunk.length) this.hold(Buffer.from(chunk.subarray(cut)));
    return piece;
  }

  /** The bytes still held (the end of the data). */
  end(): Buffer | undefined {
    return this.heldBytes > 0 ? this.take(undefined) : undefined;
  }

  private hold(bytes: Buffer): void {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  /** The held bytes and `tail` as one buffer. */
  private take(tail: Buffer | undefined): Buffer {
    const size = this.heldBytes + (tail?.length ?? 0);
    const piece = this.allocate(size);
    let at = 0;
    for (const part of this.held) {
      piece.set(part, at);
      at += part.length;
    }
    if (tail) piece.set(tail, at);
    this.held = [];
    this.heldBytes = 0;
    return piece;
  }

  /** Follows the quotes through the chunk; returns the position after its last record end, or -1. */
  private scan(chunk: Buffer): number {
    const n = chunk.length;
    const opens = this.opens;
    const closes = this.closes;
    opens.length = 0;
    closes.length = 0;
    let i = 0;
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    if (this.inQuote) {
      opens.push(-1);
      closes.push(-1);
      if (this.quoteAtEnd) {
        this.quoteAtEnd = false;
        if (chunk[0] === QUOTE) i = 1;
        else {
          this.inQuote = false;
          closes[0] = 0;
        }
      }
    }
    while (i < n) {
      const q = chunk.indexOf(QUOTE, i);
      if (q < 0) break;
      if (this.inQuote) {
        if (q + 1 >= n) {
          this.quoteAtEnd = true;
          break;
        }
        if (chunk[q + 1] === QUOTE) {
          i = q + 2;
          continue;
        }
        this.inQuote = false;
        closes[closes.length - 1] = q + 1;
        i = q + 1;
        continue;
      }
      const before = q === 0 ? this.previous : chunk[q - 1];
      if (before === this.delimiter || before === LF || before === CR) {
        this.inQuote = true;
        opens.push(q);
        closes.push(-1);
      }
      i = q + 1;
    }
    if (n > 0) this.previous = chunk[n - 1]!;
    return this.lastRecordEnd(chunk);
  }

  /** The position after the last line break of the chunk outside quotes, or -1. */
  private lastRecordEnd(chunk: Buffer): number {
    const opens = this.opens;
    const closes = this.closes;
    let from = chunk.length - 1;
    let span = opens.length - 1;
    for (;;) {
      const at = this.lastBreak(chunk, from);
      if (at < 0) return -1;
      // Skip quoted fields that open after the break; inside the one that holds it, look before it.
      while (span >= 0 && opens[span]! > at) span--;
      const close = span >= 0 ? closes[span]! : 0;
      if (span >= 0 && (close < 0 || close > at)) {
        if (opens[span]! < 0) return -1;
        from = opens[span]! - 1;
        span--;
        continue;
      }
      return at + 1;
    }
  }

  /** The last LF at or before `from` (or, in data without any LF so far, a CR followed by a byte). */
  private lastBreak(chunk: Buffer, from: number): number {
    if (from < 0) return -1;
    const lf = chunk.lastIndexOf(LF, from);
    if (lf >= 0) {
      this.sawLf = true;
      return lf;
    }
    if (this.sawLf) return -1;
    // A CR at the very end may be the first half of CRLF: only one with a byte after it is an end.
    const last = Math.min(from, chunk.length - 2);
    return last < 0 ? -1 : chunk.lastIndexOf(CR, last);
  }
}
