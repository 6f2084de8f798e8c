import { posix } from 'node:path';
import { UserError } from '../user-error.ts';
import { parseCsvMetrics } from './csv.ts';
import { flattenMetrics, isRecord } from './flatten.ts';
import { metricsFromRecords } from './records.ts';
import { parseTree } from './tree.ts';
import type { Metric } from './types.ts';

/** The metric file formats, told apart by extension. */
export type MetricFormat = 'json' | 'yaml' | 'csv' | 'tsv' | 'jsonl';

const EXTENSIONS: Record<string, MetricFormat> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format of a metric file by its extension (case-insensitive), or undefined for other files. */
export function metricFormatOf(path: string): MetricFormat | undefined {
  return EXTENSIONS[posix.extname(path).toLowerCase()];
}

/**
 * A JSON or YAML document: an object of metrics (nested keys flattened with dots), or a list of such
 * objects, one per step, which is a history like JSONL's.
 */
function metricsFromTree(tree: unknown, file: string): Metric[] {
  if (isRecord(tree)) {
    return [...flattenMetrics(tree, file)].map(([name, value]) => ({ file, name, value }));
  }
  if (Array.isArray(tree) && tree.every(isRecord)) {
    return metricsFromRecords(
      tree.map((record) => flattenMetrics(record, file)),
      file,
    );
  }
  if (tree === null || tree === undefined) return [];
  throw new UserError(
    `${file}: expected an object of metrics (like {"accuracy": 0.9}) or a list of such objects, one per step.`,
  );
}

/** JSON Lines: one object per line and step; blank lines are skipped. */
function parseJsonLines(text: string, file: string): Metric[] {
  const records = text.split(/\r?\n/).flatMap((line, index) => {
    if (line.trim() === '') return [];
    const tree = parseTree(line, file, 'json', index + 1);
    if (!isRecord(tree)) {
      throw new UserError(
        `${file}:${index + 1}: expected one JSON object per line (like {"step": 1, "loss": 0.5}).`,
      );
    }
    return [flattenMetrics(tree, `${file}:${index + 1}`)];
  });
  return metricsFromRecords(records, file);
}

/**
 * Reads the metrics in a file's text. `file` names the metrics (and the file in error messages): it is
 * the path relative to the folder that was read. Malformed text throws a UserError naming file, line
 * and column.
 */
export function parseMetricsText(source: string, file: string, format: MetricFormat): Metric[] {
  // Editors on Windows may start UTF-8 files with a byte-order mark, which JSON.parse refuses.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  switch (format) {
    case 'json':
    case 'yaml':
      return metricsFromTree(parseTree(text, file, format), file);
    case 'jsonl':
      return parseJsonLines(text, file);
    case 'csv':
      return parseCsvMetrics(text, file, ',');
    case 'tsv':
      return parseCsvMetrics(text, file, '\t');
  }
}
