// Markdown primitives: escaping of user text, tables, mermaid charts, size limits, the self-contained HTML page, PNG pictures.
export { confusionMatrixPng } from './confusion-image.ts';
export { escapeMarkdown, truncateText } from './escape.ts';
export { formatNumber, formatPValue, plural } from './format.ts';
export { renderHtmlPage } from './html-page.ts';
export { type CurveChart, mermaidText, plainNumber, renderVersionChart, resampleHistory } from './mermaid.ts';
export { assemble, cutToLength, omissionNote, renderReport } from './report.ts';
export type { ReportImage } from './report-sections.ts';
