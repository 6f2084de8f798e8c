import type { HistoryPoint, Metric, MetricValue } from './types.ts';

/** Columns or keys that number the steps of a history; the first one present is the x axis. */
const STEP_KEYS = ['step', 'global_step', 'epoch', 'iteration', 'iter'];
/** Wall-clock columns (DVCLive writes `timestamp`): neither a metric nor a step. */
const CLOCK_KEYS = ['timestamp', 'wall_time', 'walltime'];

/** True for names that index a history rather than measure the model. */
export function isIndexKey(name: string): boolean {
  const lower = name.toLowerCase();
  return STEP_KEYS.includes(lower) || CLOCK_KEYS.includes(lower);
}

/** The name of the column or key that numbers the steps, if the records have one. */
function stepKey(records: readonly Map<string, MetricValue>[]): string | undefined {
  const names = new Set(records.flatMap((record) => [...record.keys()]));
  for (const wanted of STEP_KEYS) {
    const found = [...names].find((name) => name.toLowerCase() === wanted);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Turns a sequence of records (CSV rows, JSONL lines, a list of objects), one per step, into metrics:
 * each metric's value is its last value in the sequence and its history the numeric values along it.
 * Steps come from a `step`/`epoch`/… key when the records have one, else from the record's position
 * (1, 2, …). Index keys (steps, timestamps) are not metrics.
 */
export function metricsFromRecords(records: readonly Map<string, MetricValue>[], file: string): Metric[] {
  const step = stepKey(records);
  const latest = new Map<string, MetricValue>();
  const histories = new Map<string, HistoryPoint[]>();
  records.forEach((record, index) => {
    const stepValue = step === undefined ? undefined : record.get(step);
    const x = stepValue?.kind === 'number' && Number.isFinite(stepValue.value) ? stepValue.value : index + 1;
    for (const [name, value] of record) {
      if (isIndexKey(name)) continue;
      latest.set(name, value);
      if (value.kind !== 'number') continue;
      const history = histories.get(name) ?? [];
      history.push({ step: x, value: value.value });
      histories.set(name, history);
    }
  });
  return [...latest].map(([name, value]) => {
    const history = histories.get(name);
    return history === undefined ? { file, name, value } : { file, name, value, history };
  });
}
