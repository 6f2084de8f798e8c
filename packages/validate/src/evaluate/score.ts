import { ClassificationScorer } from '../metrics/classification.ts';
import type { Grouping } from '../metrics/groups.ts';
import { RegressionScorer } from '../metrics/regression.ts';
import { compareCodePoints } from './classes.ts';
import type { SliceCodes } from './collect.ts';
import type { EvaluationRows, LatencyMetrics, ScoredReport, SliceGroup } from './report.ts';

/** What a report says besides its metrics: how the rows were read. */
export type ReportCommon = Omit<ScoredReport, 'task' | 'rows' | 'metrics' | 'classes' | 'slices'>;

/** Metrics of each slice, computed for all slices in one pass; groups sorted by value, null last. */
function sliceGroups<M>(slices: SliceCodes, score: (grouping: Grouping) => M[]): SliceGroup<M>[] {
  const of = slices.finish();
  const metrics = score({ of, count: slices.values.length });
  const rows = new Array<number>(slices.values.length).fill(0);
  for (const code of of) rows[code]!++;
  return slices.values
    .map((value, code) => ({ value, rows: rows[code]!, metrics: metrics[code]! }))
    .sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : compareCodePoints(a.value, b.value)));
}

/**
 * The report of scored rows, the same whatever produced them (a model run now, a predictions file):
 * the task's metrics over all rows and per slice, with `latency` where a model was timed.
 */
export function scoreRows(
  rows: EvaluationRows,
  common: ReportCommon,
  slices?: { readonly column: string; readonly codes: SliceCodes },
  latency?: LatencyMetrics,
): ScoredReport {
  const sliced = <M>(score: (grouping: Grouping) => M[]) =>
    slices ? { slices: { column: slices.column, groups: sliceGroups(slices.codes, score) } } : {};
  if (rows.task === 'classification') {
    const scorer = new ClassificationScorer(rows);
    return {
      task: 'classification',
      rows: rows.truth.length,
      metrics: { ...scorer.metrics(), ...latency },
      classes: rows.classes,
      ...common,
      ...sliced((grouping) => scorer.metricsByGroup(grouping)),
    };
  }
  const scorer = new RegressionScorer(rows);
  return {
    task: 'regression',
    rows: rows.truth.length,
    metrics: { ...scorer.metrics(), ...latency },
    ...common,
    ...sliced((grouping) => scorer.metricsByGroup(grouping)),
  };
}
