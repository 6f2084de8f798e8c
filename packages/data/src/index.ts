/** The one table reader every verb uses: sources, formats, compression, column batches and the cell rules. */
export { type Batch, cellOf, fieldTextAt, type TextBatch } from './batch.ts';
export { type BatchParts, batchFromParts, batchMessage, transferList } from './batch-message.ts';
export { hasOuterSpace, isMissingBytes } from './bytes.ts';
export { readNumberMatrix, readNumbers, readTexts, TextCodes } from './columns.ts';
export { COLUMN_TYPES, type ColumnType, inferColumnType, isIdLikeName } from './infer.ts';
export { ByteInterner, MAX_INTERNED_BYTES } from './interner.ts';
export { answerTokenize, type CsvWorkers, csvWorkers, type TokenizeJob } from './parallel.ts';
export { type ReadOptions, readBatches } from './read.ts';
export {
  type DataSource,
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
  parseTimestampValue,
} from './values.ts';
