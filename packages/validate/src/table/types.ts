/** The file formats a validation set may come in (each optionally gzipped). */
export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** Which columns a reader extracts, and how. */
export interface ReadPlan {
  /** Feature columns in the order the model takes them. */
  readonly features: readonly string[];
  readonly label: string;
  /** `number` parses the label as a float (regression); `string` keeps its text (classification). */
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
 * null (`string` labels); a missing slice value is null.
 */
export interface RowBatch {
  readonly rows: number;
  /** 1-based data row number of the batch's first row (the header is not a row). */
  readonly firstRow: number;
  /** rows × features, row-major, in the plan's `featureType`. */
  readonly features: Float32Array | Float64Array;
  readonly labels: Float64Array | (string | null)[];
  readonly slices?: (string | null)[];
}

/** An open validation set: its columns are known before any batch is read. */
export interface Table {
  readonly path: string;
  readonly format: TableFormat;
  readonly columns: readonly string[];
  /** Streams the rows once; memory holds one batch (and one read chunk or row group) at a time. */
  batches(plan: ReadPlan): AsyncGenerator<RowBatch>;
  close(): Promise<void>;
}
