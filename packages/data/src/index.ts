/** The one table reader every verb uses: sources, formats, compression, column batches and the cell rules. */
export { type Batch, cellOf, fieldText, fieldTextAt, type TextBatch, type ValueBatch } from './batch.ts';
export { hasOuterSpace, isMissingBytes, parseDecimalBytes } from './bytes.ts';
export { type NotNumber, readNumbers, readTexts } from './columns.ts';
export { COLUMN_TYPES, type ColumnType, type Inference, inferColumnType, isIdLikeName } from './infer.ts';
export { ByteInterner, MAX_INTERNED_BYTES } from './interner.ts';
export { type ReadOptions, readBatches } from './read.ts';
export {
  type DataFormat,
  type DataSource,
  fileRandomAccess,
  fileSource,
  formatFromName,
  isUri,
  type RandomAccess,
  type RemoteSources,
  resolveSources,
} from './sources.ts';
export {
  categoryOf,
  isMissingText,
  isMissingValue,
  parseBooleanText,
  parseBooleanValue,
  parseNumberText,
  parseNumberValue,
  parseTimestampValue,
} from './values.ts';
