import type { HistoryPoint, Metric, MetricSet, MetricValue } from './types.ts';

/** The numbers of a numeric value, or undefined for text. */
function numbersOf(value: MetricValue): number[] | undefined {
  if (value.kind === 'number') return [value.value];
  if (value.kind === 'samples') return value.values;
  return undefined;
}

/** The text a value shows as when runs disagree on a non-numeric metric. */
function textOf(value: MetricValue): string {
  if (value.kind === 'text') return value.text;
  return numbersOf(value)!.map(String).join(', ');
}

/** Several runs' values of one metric: their numbers pooled into samples, or their distinct texts. */
function mergeValues(values: readonly MetricValue[]): MetricValue {
  const numbers = values.map(numbersOf);
  if (numbers.every((item) => item !== undefined)) return { kind: 'samples', values: numbers.flat() };
  return { kind: 'text', text: [...new Set(values.map(textOf))].join(' | ') };
}

/** Several runs' histories of one metric as one: the mean of the runs' values at each step. */
export function meanHistory(histories: readonly HistoryPoint[][]): HistoryPoint[] {
  const byStep = new Map<number, number[]>();
  for (const point of histories.flat()) {
    const values = byStep.get(point.step) ?? [];
    values.push(point.value);
    byStep.set(point.step, values);
  }
  return [...byStep]
    .sort(([a], [b]) => a - b)
    .map(([step, values]) => ({
      step,
      value: values.reduce((sum, value) => sum + value, 0) / values.length,
    }));
}

/**
 * Merges the metrics of several runs (one side's files or folders, e.g. one per seed) into one set,
 * matching metrics by file and name. A metric in several runs gets all their numbers as samples (a
 * run's own list of values is added whole) and the step-wise mean of their histories; one in a single
 * run is kept as it is.
 */
export function mergeRuns(runs: readonly Metric[][]): MetricSet {
  const groups = new Map<string, Metric[]>();
  for (const run of runs) {
    for (const metric of run) {
      const key = `${metric.file}\u0000${metric.name}`;
      const group = groups.get(key) ?? [];
      group.push(metric);
      groups.set(key, group);
    }
  }
  const metrics = [...groups.values()].map((group): Metric => {
    const [first] = group as [Metric, ...Metric[]];
    if (group.length === 1) return first;
    const histories = group.flatMap((metric) => (metric.history === undefined ? [] : [metric.history]));
    const value = mergeValues(group.map((metric) => metric.value));
    const merged: Metric = { file: first.file, name: first.name, value };
    if (histories.length > 0) merged.history = meanHistory(histories);
    return merged;
  });
  return { runs: runs.length, metrics };
}
