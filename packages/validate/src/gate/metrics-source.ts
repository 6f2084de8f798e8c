import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { readMetricRun, UserError } from '@mlactions/core';
import type { Manifest, RecordedMetric } from '@mlactions/store';
import { type FlattenableReport, flattenReport } from '../evaluate/flatten.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A validate report (`{"task", "rows", "metrics": {...}}`), as opposed to a plain metrics file. */
function isValidationReport(value: unknown): value is FlattenableReport {
  return isObject(value) && typeof value.task === 'string' && isObject(value.metrics);
}

/** Adds one source's numbers to `into`; the same name from two sources must agree. */
function merge(
  into: Map<string, number>,
  from: Iterable<[string, number]>,
  where: string,
  seen: Map<string, string>,
) {
  for (const [name, value] of from) {
    const earlier = seen.get(name);
    if (earlier !== undefined && into.get(name) !== value) {
      throw new UserError(
        `the metric ${JSON.stringify(name)} has different values in ${earlier} and ${where}; keep one of them, or gate on one file`,
      );
    }
    into.set(name, value);
    seen.set(name, where);
  }
}

/**
 * Reads metrics for the gate from a file or folder: a validate report (its JSON output, or the gate
 * action's `metrics` output) is flattened as `flattenReport` names its numbers (`accuracy`, not
 * `metrics.accuracy`); any other metrics file (JSON, YAML, CSV, TSV, JSONL) gives its numbers by
 * their dotted names, as `mlactions report` names them. Text and lists are not metrics.
 */
export async function readGateMetrics(path: string): Promise<Map<string, number>> {
  if (extname(path).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      // Not readable or not JSON: the metrics reader below names the problem (path, line).
    }
    if (isValidationReport(parsed)) return flattenReport(parsed);
  }
  const out = new Map<string, number>();
  const seen = new Map<string, string>();
  for (const metric of await readMetricRun(path)) {
    if (metric.value.kind === 'number') merge(out, [[metric.name, metric.value.value]], metric.file, seen);
  }
  return out;
}

/**
 * A validate report as a store manifest records it (nested keys joined with dots, lists as JSON text),
 * put back in the shape flattenReport reads; undefined for any other metrics file.
 */
function recordedReport(recorded: Record<string, RecordedMetric>): FlattenableReport | undefined {
  if (typeof recorded.task !== 'string') return undefined;
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(recorded)) {
    if (name.startsWith('metrics.') && typeof value === 'number')
      metrics[name.slice('metrics.'.length)] = value;
  }
  if (Object.keys(metrics).length === 0) return undefined;
  let groups: unknown;
  if (typeof recorded['slices.groups'] === 'string') {
    try {
      groups = JSON.parse(recorded['slices.groups']);
    } catch {
      // A text the publisher wrote; without it the slices are simply absent from the baseline.
    }
  }
  const validGroups = Array.isArray(groups)
    ? groups.filter(
        (g): g is { value: string | null; rows: number; metrics: object } =>
          isObject(g) &&
          (typeof g.value === 'string' || g.value === null) &&
          typeof g.rows === 'number' &&
          isObject(g.metrics),
      )
    : [];
  return {
    ...(typeof recorded.rows === 'number' ? { rows: recorded.rows } : {}),
    ...(typeof recorded.missingLabels === 'number' ? { missingLabels: recorded.missingLabels } : {}),
    metrics,
    ...(validGroups.length > 0 ? { slices: { groups: validGroups } } : {}),
  };
}

/**
 * The metrics a store version was published with, named as the gate names the candidate's: a
 * recorded validate report is flattened as flattenReport does; other files give their numbers.
 */
export function manifestMetrics(manifest: Manifest): Map<string, number> {
  const out = new Map<string, number>();
  const seen = new Map<string, string>();
  for (const [file, recorded] of Object.entries(manifest.metrics ?? {})) {
    const report = recordedReport(recorded);
    const numbers = report
      ? flattenReport(report)
      : Object.entries(recorded).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
    merge(out, numbers, `${manifest.name} ${manifest.version}'s ${file}`, seen);
  }
  return out;
}
