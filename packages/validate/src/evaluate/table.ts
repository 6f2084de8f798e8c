/**
 * The validation set as the evaluation reads it: batches of `batchSize` rows with the features as one
 * row-major float matrix, the label and the slice value, read through @mlactions/data (so a file
 * means the same here as in drift). Memory holds one read batch and one evaluation batch.
 */
import { UserError } from '@mlactions/core';
import {
  type Batch,
  type DataSource,
  type ReadOptions,
  type RemoteSources,
  readBatches,
  readNumberMatrix,
  readNumbers,
  readTexts,
  resolveSources,
  TextCodes,
} from '@mlactions/data';
import { columnIndex } from './columns.ts';

/** Which columns a reader extracts, and how. */
export interface ReadPlan {
  /** Feature columns in the order the model takes them. */
  readonly features: readonly string[];
  readonly label: string;
  /**
   * `number` parses the label as a float (regression); `string` keeps its text (classification), as
   * codes of the distinct texts (see RowBatch.labelTexts).
   */
  readonly labelKind: 'number' | 'string';
  /** A column whose values group rows into slices. */
  readonly slice?: string;
  /** Rows per batch (the last batch may be shorter). */
  readonly batchSize: number;
  /** Element type of the feature matrix: the model input's (float32 unless the model takes doubles). */
  readonly featureType?: 'float32' | 'float64';
}

/**
 * One batch of rows. Missing feature cells are NaN; a missing label is NaN (`number` labels) or
 * code -1 (`string` labels); a missing slice value is null.
 */
export interface RowBatch {
  readonly rows: number;
  /** 1-based data row number of the batch's first row (the header is not a row). */
  readonly firstRow: number;
  /** rows × features, row-major, in the plan's `featureType`. */
  readonly features: Float32Array | Float64Array;
  /** Numbers (`number` labels), or codes: `labelTexts[code]` is the label's text (`string` labels). */
  readonly labels: Float64Array | Int32Array;
  /** The distinct label texts of the table so far, by code (`string` labels). */
  readonly labelTexts?: readonly string[];
  readonly slices?: (string | null)[];
}

/** An open validation set: its columns are known before any batch is read. */
export interface Table {
  readonly path: string;
  readonly columns: readonly string[];
  /** Streams the rows once. */
  batches(plan: ReadPlan): AsyncGenerator<RowBatch>;
  close(): Promise<void>;
}

/** A cell that should hold a number and does not: where it is, so callers can add what the column is for. */
export class NotANumber extends UserError {
  readonly path: string;
  /** The row, as `row 3` or `row 3 (line 4)`. */
  readonly row: string;
  readonly column: string;
  /** The cell, quoted and shortened. */
  readonly shown: string;

  constructor(path: string, row: string, column: string, shown: string) {
    super(`data file ${path}, ${row}, column ${JSON.stringify(column)}: ${shown} is not a number`);
    this.path = path;
    this.row = row;
    this.column = column;
    this.shown = shown;
  }
}

function showValue(value: unknown): string {
  const text = typeof value === 'bigint' ? `${value}` : JSON.stringify(value);
  return text === undefined ? String(value) : text.slice(0, 40);
}

export interface OpenTableOptions {
  /** CSV field separator; ',' for .csv, a tab for .tsv unless set. */
  readonly delimiter?: string;
  /** Folder that relative paths and patterns start from (the working folder by default). */
  readonly cwd?: string;
  /** Reads `s3://` data (the fronts pass @mlactions/store's s3DataReader). */
  readonly remote?: RemoteSources;
  /** Worker threads that parse CSV (see @mlactions/data's ReadOptions.threads; 0: none). */
  readonly readThreads?: number;
}

/**
 * Opens a validation set: a file, a folder of data files, a glob pattern, an `s3://` URI (with
 * `remote`), or data sources (read one
 * after the other as one table; the first one's columns are the table's).
 */
export async function openTable(
  data: string | readonly DataSource[],
  options: OpenTableOptions = {},
): Promise<Table> {
  const sources = typeof data === 'string' ? await resolveSources(data, options.cwd, options.remote) : data;
  const path = typeof data === 'string' && sources.length > 1 ? data : sources[0]!.name;
  const read: ReadOptions = {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.readThreads === undefined ? {} : { threads: options.readThreads }),
  };
  const first = readBatches(sources[0]!, read);
  const head = await first.next();
  const columns = head.done ? [] : head.value.names;
  let started = false;

  async function* all(): AsyncGenerator<{ batch: Batch; source: string }> {
    if (!head.done) yield { batch: head.value, source: sources[0]!.name };
    for await (const batch of first) yield { batch, source: sources[0]!.name };
    for (const source of sources.slice(1)) {
      for await (const batch of readBatches(source, read)) yield { batch, source: source.name };
    }
  }

  async function* batches(plan: ReadPlan): AsyncGenerator<RowBatch> {
    if (started) throw new Error('a table can be read once');
    started = true;
    const needed = [...plan.features, plan.label, ...(plan.slice === undefined ? [] : [plan.slice])];
    for (const name of needed) columnIndex(columns, name, path);
    const width = plan.features.length;
    let rowsBefore = 0;
    const labelCodes = plan.labelKind === 'string' ? new TextCodes() : undefined;
    let builder = new RowBuilder(plan, width, 1, labelCodes);
    for await (const { batch, source } of all()) {
      const reader = rowReader(batch, plan, source, rowsBefore, labelCodes);
      for (let from = 0; from < batch.rows; ) {
        from = builder.append(reader, from, batch.rows);
        if (builder.full) {
          yield builder.finish();
          builder = new RowBuilder(plan, width, rowsBefore + from + 1, labelCodes);
        }
      }
      rowsBefore += batch.rows;
      if (batch.kind === 'text') batch.release?.();
    }
    if (builder.rows > 0) yield builder.finish();
  }

  return { path, columns, batches, close: async () => void (await first.return(undefined)) };
}

/** Reads rows [from, to) of one read batch, as the plan wants them, into an evaluation batch. */
interface RowReader {
  features(out: Float32Array | Float64Array, from: number, to: number): void;
  labels(out: Float64Array | Int32Array, from: number, to: number): void;
  /** The slice value of every row of the read batch. */
  readonly slices: (string | null)[] | undefined;
}

function rowReader(
  batch: Batch,
  plan: ReadPlan,
  source: string,
  rowsBefore: number,
  labelCodes: TextCodes | undefined,
): RowReader {
  const n = batch.rows;
  const position = (name: string): number => {
    const index = batch.names.indexOf(name);
    // A later file without the column: CSV and Parquet name their columns, so that is an error;
    // JSON Lines rows may simply lack the key.
    if (index < 0 && batch.kind === 'text') columnIndex(batch.names, name, source);
    return index;
  };
  const notNumber = (name: string) => (row: number, cell: unknown) => {
    const line = batch.lines?.[row];
    const where = `row ${rowsBefore + row + 1}${line === undefined ? '' : ` (line ${line})`}`;
    throw new NotANumber(source, where, name, showValue(cell));
  };
  const featureColumns = Int32Array.from(plan.features, position);
  const featureComplaints = plan.features.map(notNumber);
  const label = position(plan.label);
  const labelComplaint = notNumber(plan.label);
  let slices: (string | null)[] | undefined;
  if (plan.slice !== undefined) {
    const column = position(plan.slice);
    slices = column < 0 ? new Array<string | null>(n).fill(null) : readTexts(batch, column);
  }
  return {
    features: (out, from, to) => readNumberMatrix(batch, featureColumns, out, featureComplaints, from, to),
    labels(out, from, to) {
      if (label < 0) out.fill(labelCodes ? -1 : Number.NaN, 0, to - from);
      else if (labelCodes) labelCodes.read(batch, label, out as Int32Array, 0, from, to);
      else readNumbers(batch, label, out as Float64Array, 0, 1, labelComplaint, from, to);
    },
    slices,
  };
}

/** Gathers rows from read batches into evaluation batches of the plan's size. */
class RowBuilder {
  private readonly features: Float32Array | Float64Array;
  private readonly labels: Float64Array | Int32Array;
  private readonly labelCodes: TextCodes | undefined;
  private readonly slices: (string | null)[] | undefined;
  private readonly capacity: number;
  private readonly width: number;
  private readonly firstRow: number;
  rows = 0;

  constructor(plan: ReadPlan, width: number, firstRow: number, labelCodes: TextCodes | undefined) {
    this.width = width;
    this.firstRow = firstRow;
    this.capacity = plan.batchSize;
    this.features =
      plan.featureType === 'float64'
        ? new Float64Array(plan.batchSize * width)
        : new Float32Array(plan.batchSize * width);
    this.labels = labelCodes ? new Int32Array(plan.batchSize) : new Float64Array(plan.batchSize);
    this.labelCodes = labelCodes;
    this.slices = plan.slice !== undefined ? [] : undefined;
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /** Takes rows [from, to) until full; returns the first row not taken. */
  append(reader: RowReader, from: number, to: number): number {
    const end = Math.min(to, from + this.capacity - this.rows);
    reader.features(this.features.subarray(this.rows * this.width), from, end);
    reader.labels(this.labels.subarray(this.rows), from, end);
    if (this.slices) for (let r = from; r < end; r++) this.slices.push(reader.slices![r]!);
    this.rows += end - from;
    return end;
  }

  finish(): RowBatch {
    const rows = this.rows;
    return {
      rows,
      firstRow: this.firstRow,
      features: rows === this.capacity ? this.features : this.features.subarray(0, rows * this.width),
      labels: this.labels.subarray(0, rows),
      ...(this.labelCodes ? { labelTexts: this.labelCodes.texts } : {}),
      ...(this.slices ? { slices: this.slices } : {}),
    };
  }
}
