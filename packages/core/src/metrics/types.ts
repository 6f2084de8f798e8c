/**
 * A metric's value as read from one run: a number, several numbers (seeds, folds, bootstrap samples or
 * runs), or text that is shown but never diffed (strings, booleans, null, nested lists).
 */
export type MetricValue =
  | { kind: 'number'; value: number }
  | { kind: 'samples'; values: number[] }
  | { kind: 'text'; text: string };

/** One point of a metric's history: its value at a training step (or epoch, or line number). */
export interface HistoryPoint {
  step: number;
  value: number;
}

/** A metric: where it came from, its name and its value, and its per-step history when the file had one. */
export interface Metric {
  /** The file, relative to the folder that was read (its base name when a single file was given). */
  file: string;
  /** The metric's name; nested keys are joined with dots, as DVC does (`eval.accuracy`). */
  name: string;
  value: MetricValue;
  /** Per-step values from a CSV/TSV column, a JSONL sequence or a JSON/YAML list of records. */
  history?: HistoryPoint[];
}

/** The metrics of one side of a comparison, merged from one or more runs (files or folders). */
export interface MetricSet {
  /** How many runs were merged: several runs turn each numeric metric into samples. */
  runs: number;
  metrics: Metric[];
}
