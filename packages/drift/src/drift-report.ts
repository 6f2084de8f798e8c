import {
  assemble,
  cutToLength,
  escapeMarkdown,
  formatNumber,
  formatPValue,
  omissionNote,
  plural,
} from '@mlactions/render';
import { markdownTable } from 'markdown-table';
import type { DriftReport, FeatureDrift } from './compare.ts';
import { renderDistributionChart } from './drift-chart.ts';

/** GitHub refuses a job summary over 1 MiB; keep the summary's report well inside it. */
const SUMMARY_LIMIT = 1_000_000;

/** Names listed for the columns found in only one dataset; the JSON report has them all. */
const MAX_LISTED_COLUMNS = 100;

export interface DriftRenderOptions {
  /** The report's heading (default "Drift report"); escaped here. */
  title?: string;
  /** The most characters the comment may have (default 60,000, under GitHub's 65,536 with room for a marker). */
  maxChars?: number;
  /** How many distribution charts to draw at most (default 10), drifted columns only. */
  maxCharts?: number;
  /** Where the full report can be read (the run's job summary), linked when the comment is shortened. */
  fullReportUrl?: string;
}

export interface RenderedDriftReport {
  /** Within `maxChars`: for an issue or a comment. */
  comment: string;
  /** The whole report where it fits in GitHub's 1 MiB job summary, else shortened to fit. */
  summary: string;
  /** The whole report, for a file. */
  full: string;
  /** True when the comment leaves something out that `full` has. */
  shortened: boolean;
}

export const DRIFT_MARKS = { drifted: '🔴', stable: '🟢', untested: '⚪' } as const;

// One string literal, so that bundles which do not render drift reports leave it out.
const DRIFT_LEGEND =
  '🔴 drifted · 🟢 no drift · ⚪ not tested. p-value tests (ks, cramervonmises, anderson, chisquare, ' +
  'ztest) find drift when p < threshold; distances (wasserstein, jensenshannon, psi) when the statistic ≥ threshold. ' +
  'Missing values are counted, never tested.';

/** A share (0–1) as a percentage to three significant digits. */
export function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

function markOf(feature: FeatureDrift): string {
  if (feature.state !== 'tested' && !feature.drifted) return DRIFT_MARKS.untested;
  return feature.drifted ? DRIFT_MARKS.drifted : DRIFT_MARKS.stable;
}

/** Drifted columns first (key features leading), then the other tested ones, then the untested. */
export function sortFeatures(report: DriftReport): FeatureDrift[] {
  const rank = (f: FeatureDrift) =>
    f.drifted ? (report.keyFeatures.includes(f.name) ? 0 : 1) : f.state === 'tested' ? 2 : 3;
  return report.features
    .map((feature, index) => ({ feature, index }))
    .sort((a, b) => rank(a.feature) - rank(b.feature) || a.index - b.index)
    .map(({ feature }) => feature);
}

function statisticCell(feature: FeatureDrift): string {
  if (feature.statistic === null) return '—';
  const value = formatNumber(feature.statistic, 4);
  const error = feature.approximation?.statisticError;
  if (feature.approximation === undefined) return value;
  return error === null || error === undefined ? `≈${value}` : `${value} ± ${formatNumber(error, 2)}`;
}

function pValueCell(feature: FeatureDrift): string {
  if (feature.pValue === null) return '—';
  const p = formatPValue(feature.pValue);
  return feature.adjustedPValue === undefined ? p : `${p} (adjusted ${formatPValue(feature.adjustedPValue)})`;
}

function outcomeCell(feature: FeatureDrift): string {
  const reason = escapeMarkdown(feature.reason, 300);
  return feature.state === 'tested' ? reason : `${feature.state}: ${reason}`;
}

/** The table as lines (header, delimiter, one line per column), so callers can cut it row by row. */
export function driftTable(report: DriftReport, features: readonly FeatureDrift[]): string[] {
  const header = [
    '',
    'Column',
    'Type',
    'Test',
    'Statistic',
    'Threshold',
    'p-value',
    'Missing (ref → cur)',
    'Outcome',
  ];
  const rows = features.map((f) => [
    markOf(f),
    `${escapeMarkdown(f.name, 100)}${report.keyFeatures.includes(f.name) ? ' (key)' : ''}`,
    f.type,
    f.stattest ?? '—',
    statisticCell(f),
    f.threshold === null ? '—' : formatNumber(f.threshold),
    pValueCell(f),
    `${formatShare(f.reference.missingShare)} → ${formatShare(f.current.missingShare)}`,
    outcomeCell(f),
  ]);
  return markdownTable([header, ...rows], { alignDelimiters: false }).split('\n');
}

/** Escaped names, the first MAX_LISTED_COLUMNS of them, then how many more. */
function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED_COLUMNS).map((name) => escapeMarkdown(name, 100));
  const more = names.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${plural(more, 'more')}` : ''}`;
}

/** The sentence that says whether the data drifted and why. */
export function driftHeadline(report: DriftReport): string {
  const counts = `${report.driftedCount} of ${plural(report.testedCount, 'tested column')} drifted (${formatShare(report.driftShare)}; the dataset drifts at ${formatShare(report.shareThreshold)})`;
  const keys = report.driftedKeyFeatures;
  if (report.drifted) {
    const key =
      keys.length > 0 ? `; key ${keys.length === 1 ? 'feature' : 'features'} drifted: ${nameList(keys)}` : '';
    return `**Drift detected**: ${counts}${key}.`;
  }
  if (report.testedCount === 0)
    return 'No drift found, but no column could be tested: see the table for why.';
  return `No drift: ${counts}.`;
}

function sourcesOf(side: DriftReport['reference']): string {
  const [first, ...rest] = side.sources;
  if (first === undefined) return plural(side.rows, 'row');
  const more = rest.length > 0 ? ` and ${plural(rest.length, 'more file')}` : '';
  return `${plural(side.rows, 'row')} from ${escapeMarkdown(first)}${more}`;
}

function notesOf(report: DriftReport): string {
  const notes = [`Reference: ${sourcesOf(report.reference)} · current: ${sourcesOf(report.current)}.`];
  if (report.columnsOnlyInReference.length > 0)
    notes.push(
      `Only in the reference (missing from the current data): ${nameList(report.columnsOnlyInReference)}.`,
    );
  if (report.columnsOnlyInCurrent.length > 0)
    notes.push(`Only in the current data (not checked): ${nameList(report.columnsOnlyInCurrent)}.`);
  return notes.join('\n\n');
}

function footerOf(report: DriftReport): string {
  const notes = [DRIFT_LEGEND];
  if (report.correction !== 'none') {
    const name = report.correction === 'bonferroni' ? 'Bonferroni' : 'Benjamini–Hochberg';
    notes.push(`p-values are adjusted (${name}) over the columns tested with a p-value test.`);
  }
  if (report.features.some((f) => f.approximation !== undefined)) {
    notes.push('≈ and ±: computed from a sketch of the data, within the error bound shown.');
  }
  return `<sub>${notes.join(' ')}</sub>`;
}

function chartsOf(features: readonly FeatureDrift[], maxCharts: number): string[] {
  return features
    .filter((f) => f.drifted && f.chart !== null)
    .slice(0, maxCharts)
    .map((f) => {
      const what = f.chart!.kind === 'histogram' ? 'bins of the reference' : 'most common categories';
      return (
        `**${escapeMarkdown(f.name, 100)}** · ${f.type} · ${f.stattest}\n\n` +
        `${renderDistributionChart(f.name, f.chart!)}\n\n` +
        `<sub>Share of rows over the ${what}: bars reference, line current.</sub>`
      );
    });
}

/**
 * Renders a drift report as GitHub markdown: whether the data drifted, the columns in a table (drifted
 * first) with their inferred type, test, statistic, threshold, p-value, missing shares and outcome, the
 * columns found in only one dataset, and a chart of each drifted column's distribution. `comment` is
 * the same when it fits in `maxChars`, and otherwise drops the charts, then the rows that do not fit
 * (drifted columns are kept longest), saying what it left out.
 */
export function renderDriftReport(
  report: DriftReport,
  options: DriftRenderOptions = {},
): RenderedDriftReport {
  const maxChars = options.maxChars ?? 60_000;
  const features = sortFeatures(report);
  const heading = `### ${escapeMarkdown(options.title ?? 'Drift report')}\n\n${driftHeadline(report)}\n\n${notesOf(report)}`;
  const table = driftTable(report, features);
  const charts = chartsOf(features, options.maxCharts ?? 10);
  const footer = footerOf(report);
  const full = assemble([heading, table.join('\n'), ...charts, footer]);
  const fit = (limit: number): { text: string; shortened: boolean } => {
    if (full.length <= limit) return { text: full, shortened: false };
    const left = charts.length === 0 ? [] : [plural(charts.length, 'chart')];
    const withoutCharts = assemble([
      heading,
      table.join('\n'),
      footer,
      omissionNote(left, options.fullReportUrl),
    ]);
    if (left.length > 0 && withoutCharts.length <= limit) return { text: withoutCharts, shortened: true };
    // Keep as many rows as fit, budgeting for the longest note (every row left out).
    const note = (kept: number) =>
      omissionNote([...left, `${plural(features.length - kept, 'row')} of the table`], options.fullReportUrl);
    let budget = limit - assemble([heading, table.slice(0, 2).join('\n'), footer, note(0)]).length;
    let kept = 0;
    for (const row of table.slice(2)) {
      if (row.length + 1 > budget) break;
      budget -= row.length + 1;
      kept++;
    }
    const text = assemble([
      heading,
      kept === 0 ? '' : table.slice(0, 2 + kept).join('\n'),
      footer,
      note(kept),
    ]);
    return { text: cutToLength(text, limit), shortened: true };
  };
  const comment = fit(maxChars);
  return { comment: comment.text, summary: fit(SUMMARY_LIMIT).text, full, shortened: comment.shortened };
}
