// Markdown primitives: escaping of user text, tables, mermaid charts, size limits, the self-contained HTML page.
export { escapeMarkdown, truncateText } from './escape.ts';
export { formatNumber, formatPValue } from './format.ts';
export { renderHtmlPage } from './html-page.ts';
export { mermaidText, plainNumber, renderVersionChart, resampleHistory } from './mermaid.ts';
export { assemble, cutToLength, omissionNote, plural, renderReport } from './report.ts';
