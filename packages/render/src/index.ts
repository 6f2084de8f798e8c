export { escapeMarkdown, truncateText } from './escape.ts';
export { formatDelta, formatNumber, formatPercent, formatPValue, formatSummary } from './format.ts';
export {
  CHARTS_STATE_ATTRIBUTE,
  escapeHtml,
  type HtmlPageOptions,
  inlineScript,
  markdownToHtml,
  renderHtmlPage,
} from './html-page.ts';
export {
  type HistoryChart,
  mermaidText,
  plainNumber,
  renderHistoryChart,
  renderVersionChart,
  resampleHistory,
  type VersionChart,
} from './mermaid.ts';
export {
  assemble,
  cutToLength,
  omissionNote,
  plural,
  type RenderedReport,
  type RenderOptions,
  renderReport,
} from './report.ts';
export { comparisonTable, LEGEND, MARKS, resultOf, sortForReport, valuesTable } from './table.ts';
