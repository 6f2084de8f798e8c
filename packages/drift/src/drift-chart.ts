import { formatNumber, mermaidText, plainNumber } from '@mlactions/render';
import type { ChartData } from './compare.ts';

/** Longest category label on a chart's axis. */
const LABEL_CHARS = 30;

/** A share (0–1) as a percentage with two decimals, as the chart's data. */
const percent = (share: number): number => Math.round(share * 10_000) / 100;

/**
 * Axis labels made safe for mermaid, never blank and never repeated: mermaid's band axis merges equal
 * labels, which would shift every bar after them.
 */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const safe = mermaidText(label, LABEL_CHARS) || '(blank)';
    const count = (seen.get(safe) ?? 0) + 1;
    seen.set(safe, count);
    return count === 1 ? safe : `${safe} (${count})`;
  });
}

/** The axis labels and the two sides' shares of a chart, with the pooled rest of the categories. */
function seriesOf(chart: ChartData): { labels: string[]; reference: number[]; current: number[] } {
  if (chart.kind === 'histogram') {
    const edge = (i: number) => formatNumber(chart.edges[i]!, 3);
    return {
      labels: chart.reference.map((_, i) => `${edge(i)} to ${edge(i + 1)}`),
      reference: chart.reference,
      current: chart.current,
    };
  }
  const rest = chart.otherReference > 0 || chart.otherCurrent > 0;
  return {
    labels: [...chart.categories, ...(rest ? ['(all others)'] : [])],
    reference: [...chart.reference, ...(rest ? [chart.otherReference] : [])],
    current: [...chart.current, ...(rest ? [chart.otherCurrent] : [])],
  };
}

/**
 * A mermaid `xychart-beta` of a column's distribution: the reference's share of rows per bin or
 * category as bars, the current data's as a line over them. Labels pass through mermaidText and
 * numbers through plainNumber, so a column's values cannot break out of the chart.
 */
export function renderDistributionChart(title: string, chart: ChartData): string {
  const series = seriesOf(chart);
  const reference = series.reference.map(percent);
  const current = series.current.map(percent);
  const top = Math.max(1, Math.ceil(Math.max(...reference, ...current)));
  const labels = uniqueLabels(series.labels).map((label) => `"${label}"`);
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidText(title) || 'column'}"`,
    `  x-axis "${chart.kind === 'histogram' ? 'bin' : 'category'}" [${labels.join(', ')}]`,
    `  y-axis "% of rows" 0 --> ${plainNumber(top)}`,
    `  bar "reference" [${reference.map(plainNumber).join(', ')}]`,
    `  line "current" [${current.map(plainNumber).join(', ')}]`,
    '```',
  ].join('\n');
}
