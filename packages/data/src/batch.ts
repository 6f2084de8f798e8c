/**
 * What readers hand to the profiler: rows in batches, either as delimited text (CSV: byte offsets
 * into the chunk, so that numbers are parsed straight from bytes and no string is made for them) or
 * as values (JSONL, Parquet), column by column. Batches own their memory: a consumer may keep a few
 * (the profiler keeps the first rows to infer column types), and releases a text batch when done with
 * it so that the reader reuses its buffers.
 */

/** Rows of delimited text: field c of row r spans bytes[starts[k] … ends[k]) with k = r·names.length + c. */
export interface TextBatch {
  readonly kind: 'text';
  readonly names: readonly string[];
  readonly rows: number;
  readonly bytes: Buffer;
  /** The line (1-based) where each row starts, for messages. */
  readonly lines: Int32Array;
  /** -1 where the row was shorter than the header (the field is missing). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 where a quoted field holds doubled quotes ("") that stand for one quote. */
  readonly escaped: Uint8Array;
  /** The field's value when it is a plain decimal of at most 15 digits, read during parsing; NaN otherwise. */
  readonly numbers: Float64Array;
  /**
   * Hands the batch's memory back to the reader for the next batch; call it once done with the batch.
   * A batch whose memory went to another thread and came back (see batch-message.ts) passes the batch
   * rebuilt around that memory.
   */
  readonly release?: (moved?: TextBatch) => void;
  /**
   * Its bytes and arrays each own a whole ArrayBuffer that nothing else holds, so they can move to
   * another thread without a copy.
   */
  readonly movable?: boolean;
}

/** Rows as values, column by column: columns[c][r] is row r of column names[c]. */
export interface ValueBatch {
  readonly kind: 'values';
  readonly names: readonly string[];
  readonly rows: number;
  readonly columns: readonly ArrayLike<unknown>[];
  /** The line (1-based) of each row, for formats that have lines (JSON Lines). */
  readonly lines?: Int32Array;
}

export type Batch = TextBatch | ValueBatch;

/** The text of field k (= row·names.length + column) of a text batch, doubled quotes collapsed. */
export function fieldTextAt(batch: TextBatch, k: number): string {
  const text = batch.bytes.toString('utf8', batch.starts[k]!, batch.ends[k]!);
  return batch.escaped[k] ? text.replaceAll('""', '"') : text;
}

/** The text of one field of a text batch, or undefined when the row lacks it. */
export function fieldText(batch: TextBatch, row: number, column: number): string | undefined {
  const k = row * batch.names.length + column;
  return batch.starts[k]! < 0 ? undefined : fieldTextAt(batch, k);
}

/** The cell at (row, column) of any batch: a string for text batches, the value otherwise. */
export function cellOf(batch: Batch, row: number, column: number): unknown {
  return batch.kind === 'text' ? fieldText(batch, row, column) : batch.columns[column]![row];
}
