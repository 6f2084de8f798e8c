import type { MetricComparison } from '@mlactions/core';
import { markdownTable } from 'markdown-table';
import { escapeMarkdown } from './escape.ts';
import { formatDelta, formatNumber, formatPercent, formatPValue, formatSummary } from './format.ts';

/** The mark of each kind of result; LEGEND explains them once per report. */
export const MARKS = {
  regressed: '🔴',
  improved: '🟢',
  changed: '🔵',
  new: '🆕',
  removed: '🗑️',
  unchanged: '⚪',
} as const;

export const LEGEND =
  `${MARKS.regressed} regressed · ${MARKS.improved} improved · ${MARKS.changed} changed (no better direction) · ` +
  `${MARKS.new} new · ${MARKS.removed} removed · ${MARKS.unchanged} unchanged or within noise`;

/** How a metric's result reads: its status, except that an undirected change is "changed". */
export function resultOf(metric: MetricComparison): keyof typeof MARKS {
  if (metric.status === 'unchanged' && metric.changed && metric.significant !== false) return 'changed';
  return metric.status;
}

/** Order of results in the report: what needs attention first. */
const ORDER: (keyof typeof MARKS)[] = ['regressed', 'improved', 'changed', 'new', 'removed', 'unchanged'];

/** Metrics sorted by result (regressions first), keeping their order within a result. */
export function sortForReport(metrics: readonly MetricComparison[]): MetricComparison[] {
  return metrics
    .map((metric, index) => ({ metric, index, rank: ORDER.indexOf(resultOf(metric)) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ metric }) => metric);
}

/** A side's value as a table cell: mean ± interval for several values, the number, or escaped text. */
function valueCell(value: number | string | null, stats: MetricComparison['baseStats']): string {
  if (stats !== null) return formatSummary(stats);
  if (value === null) return '—';
  return typeof value === 'number' ? formatNumber(value) : escapeMarkdown(value, 80);
}

function changeCell(metric: MetricComparison): string {
  if (metric.delta === null) return metric.changed && metric.status === 'unchanged' ? 'changed' : '—';
  const relative =
    metric.relative === null || metric.delta === 0 ? '' : ` (${formatPercent(metric.relative)})`;
  return `${formatDelta(metric.delta)}${relative}`;
}

/** Which optional columns a table needs. */
export interface TableColumns {
  /** Metrics come from more than one file. */
  file: boolean;
  /** Some metric has several values, so p-values are shown. */
  pValue: boolean;
}

/** The columns a set of metrics needs. */
export function columnsFor(metrics: readonly MetricComparison[]): TableColumns {
  return {
    file: new Set(metrics.map((metric) => metric.file)).size > 1,
    pValue: metrics.some((metric) => metric.pValue !== null),
  };
}

/**
 * A comparison table as markdown lines (header, delimiter, then one line per metric, so callers can
 * cut it row by row): mark, [file], metric, base, head, change, [p].
 */
export function comparisonTable(metrics: readonly MetricComparison[], columns: TableColumns): string[] {
  const header = [
    '',
    ...(columns.file ? ['File'] : []),
    'Metric',
    'Base',
    'Head',
    'Change',
    ...(columns.pValue ? ['p'] : []),
  ];
  const rows = metrics.map((metric) => [
    MARKS[resultOf(metric)],
    ...(columns.file ? [escapeMarkdown(metric.file)] : []),
    escapeMarkdown(metric.name),
    valueCell(metric.base, metric.baseStats),
    valueCell(metric.head, metric.headStats),
    changeCell(metric),
    ...(columns.pValue ? [metric.pValue === null ? '' : formatPValue(metric.pValue)] : []),
  ]);
  return markdownTable([header, ...rows], { alignDelimiters: false }).split('\n');
}

/** A first run's table: [file], metric, value. */
export function valuesTable(metrics: readonly MetricComparison[], columns: TableColumns): string[] {
  const header = [...(columns.file ? ['File'] : []), 'Metric', 'Value'];
  const rows = metrics.map((metric) => [
    ...(columns.file ? [escapeMarkdown(metric.file)] : []),
    escapeMarkdown(metric.name),
    valueCell(metric.head, metric.headStats),
  ]);
  return markdownTable([header, ...rows], { alignDelimiters: false }).split('\n');
}
