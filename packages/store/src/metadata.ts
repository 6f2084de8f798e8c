import { resolve } from 'node:path';
import { type Metric, readMetricRun, readParamsFile } from '@mlactions/core';

/**
 * A metric as a manifest records it: a number, several numbers (samples), or text. JSON has no NaN or
 * infinity, which JSON.stringify would write as null: they are recorded as the strings "NaN",
 * "Infinity" and "-Infinity" and read back as the numbers.
 */
export type RecordedMetric = number | number[] | string | (number | string)[];

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A number as the manifest's JSON can hold it. */
const recordNumber = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

/** A recorded number back: the NaN / infinity strings as numbers, any other string as undefined. */
const readNumber = (value: number | string): number | undefined =>
  typeof value === 'number' ? value : NON_FINITE[value];

/** Metrics by file, then by (dot-flattened) name: `{"metrics.json": {"eval.accuracy": 0.93}}`. */
export type RecordedMetrics = Record<string, Record<string, RecordedMetric>>;

/** Turns metrics as @mlactions/core reads them into the manifest's form (histories are left out). */
export function recordMetrics(metrics: Metric[]): RecordedMetrics {
  const recorded: RecordedMetrics = {};
  for (const metric of metrics) {
    const value = metric.value;
    recorded[metric.file] ??= {};
    const byName = recorded[metric.file]!;
    byName[metric.name] =
      value.kind === 'number'
        ? recordNumber(value.value)
        : value.kind === 'samples'
          ? value.values.map(recordNumber)
          : value.text;
  }
  return recorded;
}

/** Turns a manifest's recorded metrics back into metrics as @mlactions/core reads them. */
export function recordedToMetrics(recorded: RecordedMetrics): Metric[] {
  return Object.entries(recorded).flatMap(([file, byName]) =>
    Object.entries(byName).map(([name, value]): Metric => {
      if (Array.isArray(value)) {
        return {
          file,
          name,
          value: { kind: 'samples', values: value.map((v) => readNumber(v) ?? Number.NaN) },
        };
      }
      const number = readNumber(value);
      return {
        file,
        name,
        value:
          number === undefined ? { kind: 'text', text: value as string } : { kind: 'number', value: number },
      };
    }),
  );
}

/**
 * Reads a metrics file or folder in any format @mlactions/core reads (JSON, YAML, CSV/TSV, JSONL),
 * so the names match those that report and gate show.
 */
export async function readMetrics(path: string, cwd: string): Promise<RecordedMetrics> {
  return recordMetrics(await readMetricRun(resolve(cwd, path)));
}

/** Reads a params file (JSON, YAML or TOML) whose top level is an object, to record as it is. */
export async function readParams(path: string, cwd: string): Promise<Record<string, unknown>> {
  return readParamsFile(resolve(cwd, path));
}
