import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Metric, readMetricRun, UserError } from '@mlactions/core';
import { parse as parseYaml } from 'yaml';

/** A metric as a manifest records it: a number, several numbers (samples), or text. */
export type RecordedMetric = number | number[] | string;

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
      value.kind === 'number' ? value.value : value.kind === 'samples' ? value.values : value.text;
  }
  return recorded;
}

/** Turns a manifest's recorded metrics back into metrics as @mlactions/core reads them. */
export function recordedToMetrics(recorded: RecordedMetrics): Metric[] {
  return Object.entries(recorded).flatMap(([file, byName]) =>
    Object.entries(byName).map(
      ([name, value]): Metric => ({
        file,
        name,
        value:
          typeof value === 'number'
            ? { kind: 'number', value }
            : Array.isArray(value)
              ? { kind: 'samples', values: value }
              : { kind: 'text', text: value },
      }),
    ),
  );
}

/**
 * Reads a metrics file or folder in any format @mlactions/core reads (JSON, YAML, CSV/TSV, JSONL),
 * so the names match those that report and gate show.
 */
export async function readMetrics(path: string, cwd: string): Promise<RecordedMetrics> {
  return recordMetrics(await readMetricRun(resolve(cwd, path)));
}

/** Reads a params file (JSON, or YAML for `.yaml` / `.yml`) whose top level is an object, to record as it is. */
export async function readParams(path: string, cwd: string): Promise<Record<string, unknown>> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new UserError(`The params file ${full} cannot be read; check the path.`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(full) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UserError(`The params file ${full} does not parse: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`The params file ${full} must hold an object of names and values at its top level.`);
  }
  return value as Record<string, unknown>;
}
