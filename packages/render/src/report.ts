import type { Metric, MetricComparison, MetricsReport, ParamChange } from '@mlactions/core';
import { escapeMarkdown } from './escape.ts';
import { plural } from './format.ts';
import { type CurveChart, renderCurveChart, renderHistoryChart, renderVersionChart } from './mermaid.ts';
import { imagesBlock, paramsSection, type ReportImage, splitCost } from './report-sections.ts';
import { columnsFor, comparisonTable, LEGEND, resultOf, sortForReport, valuesTable } from './table.ts';

export interface RenderOptions {
  /** The report's heading (default "Metrics report"); escaped here. */
  title?: string;
  /**
   * The most characters the comment may have (default 60,000: GitHub allows 65,536 per comment, and
   * the caller may add a marker line or a footer).
   */
  maxChars?: number;
  /** How many history charts to draw at most (default 4), changed metrics first. */
  maxCharts?: number;
  /** Where the full report can be read (the run's job summary), linked when the comment is shortened. */
  fullReportUrl?: string;
  /**
   * Earlier versions' metrics, oldest first, the baseline last: a metric without a per-step history
   * is charted across them and this change.
   */
  versions?: readonly { version: string; metrics: readonly Metric[] }[];
  /** Both sides' parameters, changed ones first (diffParams' order). */
  params?: readonly ParamChange[];
  /** Curves (ROC, precision–recall, calibration, any x/y points), each drawn as one chart. */
  curves?: readonly CurveChart[];
  /** The job's images, served where readers of the repository can see them. */
  images?: readonly ReportImage[];
}

/** The rendered report: `full` for the job summary, `comment` within `maxChars` for the pull request. */
export interface RenderedReport {
  comment: string;
  full: string;
  /** True when the comment leaves something out that `full` has. */
  shortened: boolean;
}

/** The parts of a report, in order; the comment drops the later ones first when space runs out. */
interface Parts {
  heading: string;
  /** Lines of the table of changed metrics (or of all values, on a first run), header included. */
  table: string[];
  /** How many metric rows `table` has. */
  rows: number;
  /** The collapsed table of unchanged metrics, and how many it lists. */
  unchanged: { block: string; count: number } | undefined;
  charts: string[];
  footer: string;
}

/** `**2 regressed** · 1 improved · 40 unchanged`: counts of each result, regressions in bold. */
function summaryLine(metrics: readonly MetricComparison[]): string {
  const counts = new Map<string, number>();
  for (const metric of metrics) counts.set(resultOf(metric), (counts.get(resultOf(metric)) ?? 0) + 1);
  const order = ['regressed', 'improved', 'changed', 'new', 'removed', 'unchanged'];
  return order
    .filter((result) => counts.has(result))
    .map((result) =>
      result === 'regressed' ? `**${counts.get(result)} regressed**` : `${counts.get(result)} ${result}`,
    )
    .join(' · ');
}

/** What several values mean in the tables, when the report has any. */
function statisticsNote(report: MetricsReport): string {
  const several = report.metrics.some((metric) => metric.baseStats !== null || metric.headStats !== null);
  if (!several) return '';
  const level = `${Number((report.confidence * 100).toPrecision(3))}%`;
  return (
    `<sub>Several values (runs, seeds or folds): mean ± ${level} confidence interval (Student t). ` +
    `A change counts only when a t-test (Welch's, or one-sample against a single value) gives p < ${report.alpha}.</sub>`
  );
}

/** A metric's value as one number: itself, or the mean of several; undefined for text. */
function numberOf(value: Metric['value'] | undefined): number | undefined {
  if (value?.kind === 'number') return value.value;
  if (value?.kind === 'samples' && value.values.length > 0)
    return value.values.reduce((sum, v) => sum + v, 0) / value.values.length;
  return undefined;
}

/**
 * The metric in each version that has it as a number, then this change's value. A version recorded
 * from one file is matched by name alone, as the comparison matches two single files.
 */
function acrossVersions(metric: MetricComparison, versions: RenderOptions['versions']) {
  const points = (versions ?? []).flatMap(({ version, metrics }) => {
    const oneFile = new Set(metrics.map((m) => m.file)).size === 1;
    const found = metrics.find((m) => m.name === metric.name && (oneFile || m.file === metric.file));
    const value = numberOf(found?.value);
    return value === undefined ? [] : [{ label: version, value }];
  });
  return typeof metric.head === 'number' ? [...points, { label: 'this change', value: metric.head }] : points;
}

function chartsOf(metrics: readonly MetricComparison[], options: RenderOptions, showFile: boolean): string[] {
  const charts: string[] = [];
  for (const metric of metrics) {
    if (charts.length >= (options.maxCharts ?? 4)) break;
    const title = showFile ? `${metric.file} ${metric.name}` : metric.name;
    const chart =
      metric.history !== undefined
        ? renderHistoryChart({ title, base: metric.history.base, head: metric.history.head })
        : options.versions
          ? renderVersionChart({ title, points: acrossVersions(metric, options.versions) })
          : undefined;
    if (chart !== undefined) charts.push(`**${escapeMarkdown(title)}**\n\n${chart}`);
  }
  return charts;
}

function partsOf(report: MetricsReport, options: RenderOptions): Parts {
  const title = `### ${escapeMarkdown(options.title ?? 'Metrics report')}`;
  const sorted = sortForReport(report.metrics);
  const columns = columnsFor(report.metrics);
  const charts = chartsOf(sorted, options, columns.file);
  const footer = statisticsNote(report);
  if (report.metrics.length === 0) {
    return {
      heading: `${title}\n\nNo metrics were found.`,
      table: [],
      rows: 0,
      unchanged: undefined,
      charts,
      footer,
    };
  }
  if (!report.hasBaseline) {
    const note = `No baseline metrics to compare with (a first run): ${plural(report.metrics.length, 'metric')} as measured.`;
    const table = valuesTable(sorted, columns);
    return {
      heading: `${title}\n\n${note}`,
      table,
      rows: sorted.length,
      unchanged: undefined,
      charts,
      footer,
    };
  }
  const changed = sorted.filter((metric) => resultOf(metric) !== 'unchanged');
  const rest = sorted.slice(changed.length);
  const heading = `${title}\n\n${summaryLine(sorted)}\n\n<sub>${LEGEND}</sub>`;
  const table = changed.length === 0 ? [] : comparisonTable(changed, columns);
  const unchanged =
    rest.length === 0
      ? undefined
      : {
          count: rest.length,
          block:
            `<details><summary>${plural(rest.length, 'unchanged metric')}</summary>\n\n` +
            `${comparisonTable(rest, columns).join('\n')}\n\n</details>`,
        };
  return { heading, table, rows: changed.length, unchanged, charts, footer };
}

/**
 * Text cut to at most `max` UTF-16 code units (what String.length counts, never fewer than the
 * characters GitHub counts), without splitting a surrogate pair. Only an absurdly small maxChars needs it.
 */
export function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

/** Joins the non-empty blocks of a report with blank lines. */
export function assemble(blocks: readonly string[]): string {
  return `${blocks.filter((block) => block !== '').join('\n\n')}\n`;
}

function fullReportLink(url: string | undefined): string {
  // Only a plain https URL is linked: anything else could carry markdown of its own.
  return url !== undefined && /^https:\/\/[^\s()<>[\]]+$/.test(url)
    ? `[the full report in the job summary](${url})`
    : 'the full report in the job summary';
}

/** The note of what a shortened comment leaves out. */
export function omissionNote(left: string[], url: string | undefined): string {
  return `> [!NOTE]\n> To stay within GitHub's comment size limit this comment leaves out ${left.join(', ')}. See ${fullReportLink(url)}.`;
}

/** A block of the comment that can be left out when space runs out, and how the note names it. */
interface Droppable {
  block: string;
  /** What the omission note says was left out (`3 charts`). */
  note: string;
}

/**
 * Renders a metrics report as GitHub markdown: a summary line, the changed metrics (regressions first)
 * in a table with marks, signed deltas and relative changes (mean ± interval and p for several
 * values), the unchanged rest in a collapsed block, the run's cost, the parameters (changed first,
 * the rest collapsed), curves and metric histories as mermaid charts, and the job's images. `full` is
 * the whole report; `comment` is the same when it fits in `maxChars`, and otherwise leaves out, in
 * this order, the metric history charts, the curves, the images, the unchanged parameters, the
 * unchanged metrics, and then the changed metrics' rows that do not fit, saying what it left out. The
 * heading, the run's cost and the changed parameters are always kept.
 */
export function renderReport(report: MetricsReport, options: RenderOptions = {}): RenderedReport {
  const maxChars = options.maxChars ?? 60_000;
  const { cost, rest } = splitCost(report);
  const parts = partsOf(rest, options);
  const params = options.params === undefined ? undefined : paramsSection(options.params);
  const curves = (options.curves ?? []).flatMap((curve) => {
    const chart = renderCurveChart(curve);
    return chart === undefined ? [] : [`**${escapeMarkdown(curve.title)}**\n\n${chart}`];
  });
  const images = imagesBlock(options.images ?? []);
  const droppable = (blocks: readonly string[], note: string): Droppable | undefined =>
    blocks.length === 0 ? undefined : { block: blocks.join('\n\n'), note };
  // In the order they are left out.
  const dropOrder = {
    charts: droppable(parts.charts, plural(parts.charts.length, 'chart')),
    curves: droppable(curves, plural(curves.length, 'curve')),
    images: droppable(images === '' ? [] : [images], plural(options.images?.length ?? 0, 'image')),
    unchangedParams: params?.unchanged,
    unchanged: parts.unchanged
      ? { block: parts.unchanged.block, note: `the ${plural(parts.unchanged.count, 'unchanged metric')}` }
      : undefined,
  };
  const costBlock = cost === undefined ? '' : cost;
  const layout = (kept: Partial<Record<keyof typeof dropOrder, boolean>>, table: string, note: string) =>
    assemble([
      parts.heading,
      table,
      kept.unchanged ? (dropOrder.unchanged?.block ?? '') : '',
      costBlock,
      params?.changed ?? '',
      kept.unchangedParams ? (dropOrder.unchangedParams?.block ?? '') : '',
      kept.charts ? (dropOrder.charts?.block ?? '') : '',
      kept.curves ? (dropOrder.curves?.block ?? '') : '',
      kept.images ? (dropOrder.images?.block ?? '') : '',
      parts.footer,
      note,
    ]);
  const everything = { charts: true, curves: true, images: true, unchangedParams: true, unchanged: true };
  const table = parts.table.join('\n');
  const full = layout(everything, table, '');
  if (full.length <= maxChars) return { comment: full, full, shortened: false };

  const kept: Partial<Record<keyof typeof dropOrder, boolean>> = { ...everything };
  const left: string[] = [];
  for (const key of Object.keys(dropOrder) as (keyof typeof dropOrder)[]) {
    const part = dropOrder[key];
    if (part === undefined) continue;
    kept[key] = false;
    left.unshift(part.note);
    const comment = layout(kept, table, omissionNote(left, options.fullReportUrl));
    if (comment.length <= maxChars) return { comment, full, shortened: true };
  }

  // Keep as many rows as fit, budgeting for the longest note (every row left out).
  const rowsNote = (count: number) =>
    omissionNote([...left, `${plural(parts.rows - count, 'row')} of the table`], options.fullReportUrl);
  let budget = maxChars - layout(kept, parts.table.slice(0, 2).join('\n'), rowsNote(0)).length;
  let count = 0;
  for (const row of parts.table.slice(2)) {
    if (row.length + 1 > budget) break;
    budget -= row.length + 1;
    count++;
  }
  const comment = layout(
    kept,
    count === 0 ? '' : parts.table.slice(0, 2 + count).join('\n'),
    rowsNote(count),
  );
  return { comment: cutToLength(comment, maxChars), full, shortened: true };
}
