import { escapeMarkdown, formatNumber } from '@mlactions/render';
import { markdownTable } from 'markdown-table';
import type { TransferTotals } from './backend.ts';
import type { Manifest } from './manifest.ts';
import type { RecordedMetric } from './metadata.ts';
import { formatBytes } from './progress.ts';

/** Rows per table; a version of thousands of files or metrics keeps a summary well under 1 MiB. */
export const MAX_TABLE_ROWS = 200;

export interface ManifestMarkdownOptions {
  /** The heading's verb: `Published`, `Fetched`. */
  verb: string;
  /** Where the manifest lives (manifestLocation). */
  location?: string;
  /** What a publish sent and skipped. */
  transfer?: TransferTotals;
}

/**
 * A recorded metric for a table cell: numbers as report shows them, samples listed, anything else as
 * escaped text (a stored manifest's metrics are not checked beyond being an object).
 */
export function metricCell(value: RecordedMetric | unknown): string {
  const one = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v));
  return escapeMarkdown(Array.isArray(value) ? value.map(one).join(', ') : one(value));
}

/** A table of at most MAX_TABLE_ROWS rows, with a line saying how many were left out. */
function table(header: string[], rows: string[][], what: string): string[] {
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const lines = markdownTable([header, ...shown], { alignDelimiters: false }).split('\n');
  if (rows.length > shown.length) {
    lines.push('', `…and ${rows.length - shown.length} more ${what}; the manifest lists them all.`);
  }
  return lines;
}

/**
 * A manifest as markdown for a job summary (or `mlactions show --format markdown`): what was
 * published where, its files with sizes and sha256, metrics, data fingerprints and provenance. Every
 * text from the manifest is escaped: a store's content and users' file and metric names are untrusted.
 */
export function manifestMarkdown(manifest: Manifest, options: ManifestMarkdownOptions): string {
  const e = (text: string) => escapeMarkdown(text, 500);
  const lines = [`### ${e(options.verb)} ${e(manifest.name)} ${e(manifest.version)}`, ''];
  const facts: string[] = [];
  if (options.location) facts.push(`Manifest: ${e(options.location)}`);
  if (manifest.parent) facts.push(`Parent version: ${e(manifest.parent)}`);
  facts.push(`Created: ${e(manifest.createdAt)}`);
  if (manifest.gitSha)
    facts.push(`Commit: ${e(manifest.gitSha)}${manifest.gitRef ? ` (${e(manifest.gitRef)})` : ''}`);
  if (manifest.runUrl) facts.push(`Run: ${e(manifest.runUrl)}`);
  if (options.transfer) {
    const t = options.transfer;
    facts.push(
      `Uploaded ${formatBytes(t.uploadedBytes)} in ${t.uploadedFiles} file(s); ` +
        `${formatBytes(t.skippedBytes)} in ${t.skippedFiles} file(s) were already stored.`,
    );
  }
  lines.push(...facts.map((fact) => `- ${fact}`), '');

  const size = manifest.files.reduce((sum, file) => sum + file.size, 0);
  lines.push(`#### Files (${manifest.files.length}, ${formatBytes(size)})`, '');
  lines.push(
    ...table(
      ['File', 'Size', 'sha256'],
      manifest.files.map((file) => [e(file.path), formatBytes(file.size), `\`${file.sha256}\``]),
      'files',
    ),
  );

  const metrics = Object.entries(manifest.metrics ?? {}).flatMap(([file, byName]) =>
    Object.entries(typeof byName === 'object' && byName !== null ? byName : {}).map(([name, value]) => [
      e(file),
      e(name),
      metricCell(value),
    ]),
  );
  if (metrics.length > 0) {
    lines.push('', '#### Metrics', '', ...table(['File', 'Metric', 'Value'], metrics, 'metrics'));
  }

  if (manifest.data && manifest.data.length > 0) {
    lines.push(
      '',
      '#### Data',
      '',
      ...table(
        ['Data', 'Files', 'Bytes', 'sha256'],
        // Data entries are not checked when a manifest is read, so every field is escaped as text.
        manifest.data.map((d) => [
          e(String(d.path)),
          e(String(d.files)),
          e(String(d.size)),
          e(String(d.sha256)),
        ]),
        'data paths',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
