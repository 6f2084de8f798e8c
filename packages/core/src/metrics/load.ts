import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { UserError } from '../user-error.ts';
import { mergeRuns } from './merge.ts';
import { metricFormatOf, parseMetricsText } from './parse.ts';
import type { Metric, MetricSet } from './types.ts';

/** Folder entries never searched for metrics: hidden folders (.git, .dvc) and installed packages. */
function isSkipped(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.') || part === 'node_modules');
}

/** The metric files under a folder, as paths relative to it (with forward slashes), sorted. */
async function metricFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .filter((path) => !isSkipped(path) && metricFormatOf(path) !== undefined)
    .map((path) => path.split(sep).join('/'))
    .sort();
}

async function readMetricFile(path: string, file: string): Promise<Metric[]> {
  const format = metricFormatOf(path);
  if (format === undefined) {
    throw new UserError(
      `${path}: not a metrics file. Use .json, .yaml, .yml, .csv, .tsv, .jsonl or .ndjson, or give a folder of them.`,
    );
  }
  const text = await readFile(path, 'utf8');
  // An empty file is a run that wrote nothing (it crashed, or wrote elsewhere), not a run without metrics.
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new UserError(`${path}: the metrics file is empty. Check that the run wrote its metrics there.`);
  }
  return parseMetricsText(text, file, format);
}

/**
 * Reads one run's metrics from a file, or from every metric file in a folder and its subfolders.
 * Metrics are keyed by file (its base name for a single file, its path inside the folder otherwise)
 * and name, so that `metrics.json` in two places matches.
 */
export async function readMetricRun(path: string): Promise<Metric[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined)
    throw new UserError(`${path}: no such file or folder. Check the path to the metrics.`);
  if (!info.isDirectory()) return readMetricFile(path, basename(path));
  const files = await metricFilesUnder(path);
  if (files.length === 0) {
    throw new UserError(
      `${path}: the folder holds no metrics files (.json, .yaml, .yml, .csv, .tsv, .jsonl).`,
    );
  }
  const runs = await Promise.all(files.map((file) => readMetricFile(join(path, file), file)));
  return runs.flat();
}

export interface LoadOptions {
  /**
   * Match several single-file runs' metrics by file as well as name, so that `a.json` pairs with the
   * other side's `a.json` (several files that are different things, not runs of one model).
   */
  pairByName?: boolean;
}

/** The metric names of a run, sorted, as one text: two runs of one model have the same. */
function namesOf(run: readonly Metric[]): string {
  return JSON.stringify([...new Set(run.map((metric) => metric.name))].sort());
}

/**
 * Several runs each read from one file whose metric names match are runs of one model (seed1.json,
 * seed2.json …), whatever the files are called: they take the first one's file name, so that
 * mergeRuns pools them into samples instead of keeping them apart by name.
 */
function asRunsOfOneModel(runs: readonly Metric[][]): Metric[][] {
  const [first] = runs;
  if (runs.length < 2 || first === undefined) return [...runs];
  const singleFile = runs.every((run) => new Set(run.map((metric) => metric.file)).size === 1);
  if (!singleFile || !runs.every((run) => namesOf(run) === namesOf(first))) return [...runs];
  const file = first[0]!.file;
  return runs.map((run) => run.map((metric) => ({ ...metric, file })));
}

/**
 * Reads one side of a comparison: a file or folder, or several (one per run, e.g. per seed) whose
 * metrics are merged into samples. Several files with the same metric names are runs of one model
 * unless `pairByName` says they are different things.
 */
export async function loadMetrics(
  paths: string | readonly string[],
  options: LoadOptions = {},
): Promise<MetricSet> {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (list.length === 0) throw new UserError('No metrics path was given. Name a metrics file or folder.');
  const runs = await Promise.all(list.map(readMetricRun));
  return mergeRuns(options.pairByName ? runs : asRunsOfOneModel(runs));
}
