import { CsvError, parse } from 'csv-parse/sync';
import { UserError } from '../user-error.ts';
import { parseNumber } from './numbers.ts';
import { metricsFromRecords } from './records.ts';
import type { Metric, MetricValue } from './types.ts';

/**
 * Reads a CSV or TSV file with a header row and a row per step or epoch (as training loops and DVCLive
 * write them): each column is a metric whose value is its last non-empty cell and whose history is
 * the column. Numbers may be NaN/inf in Python's spellings; other cells are text; empty cells are
 * missing at that step.
 */
export function parseCsvMetrics(text: string, file: string, delimiter: ',' | '\t'): Metric[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, delimiter, skip_empty_lines: true, trim: true, relax_quotes: false });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new UserError(
        `${file}${line === undefined ? '' : `:${line}`}: this is not valid CSV (${error.message}). Fix the file.`,
      );
    }
    throw error;
  }
  const [header, ...body] = rows;
  if (header === undefined) return [];
  header.forEach((name, index) => {
    if (name === '')
      throw new UserError(`${file}:1: column ${index + 1} has no name. Name every column in the header row.`);
    if (header.indexOf(name) !== index) {
      throw new UserError(
        `${file}:1: the column "${name}" appears twice in the header row. Give each column one name.`,
      );
    }
  });
  const records = body.map((row) => {
    const record = new Map<string, MetricValue>();
    row.forEach((cell, index) => {
      if (cell === '') return;
      const number = parseNumber(cell);
      record.set(
        header[index]!,
        number === undefined ? { kind: 'text', text: cell } : { kind: 'number', value: number },
      );
    });
    return record;
  });
  return metricsFromRecords(records, file);
}
