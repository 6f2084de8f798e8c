/**
 * The report's sections beside the metrics table: the run's cost, the parameters and the job's
 * images. Names and values come from users' files and are escaped here.
 */
import type { MetricsReport, ParamChange } from '@mlactions/core';
import { markdownTable } from 'markdown-table';
import { escapeMarkdown } from './escape.ts';
import { plural } from './format.ts';
import { columnsFor, comparisonTable, valuesTable } from './table.ts';

/** Metrics named `cost.*` (what train writes: GPU-hours, energy, peak memory, wall time). */
export const COST_PREFIX = 'cost.';

/** The run-cost metrics as their own small table, and the report without them. */
export function splitCost(report: MetricsReport): { cost: string | undefined; rest: MetricsReport } {
  const isCost = (name: string) => name.startsWith(COST_PREFIX);
  const cost = report.metrics.filter((metric) => isCost(metric.name));
  const rest = { ...report, metrics: report.metrics.filter((metric) => !isCost(metric.name)) };
  if (cost.length === 0) return { cost: undefined, rest };
  const columns = { ...columnsFor(cost), file: false };
  const table = report.hasBaseline ? comparisonTable(cost, columns) : valuesTable(cost, columns);
  return { cost: `**What the run cost**\n\n${table.join('\n')}`, rest };
}

/** A parameter's value in a cell: escaped, or a dash where a side lacks it. */
const valueCell = (value: string | null) => (value === null ? '—' : escapeMarkdown(value, 80));

function paramsTable(params: readonly ParamChange[]): string {
  const rows = params.map((p) => [escapeMarkdown(p.name), valueCell(p.base), valueCell(p.head)]);
  return markdownTable([['Parameter', 'Base', 'Head'], ...rows], { alignDelimiters: false });
}

/**
 * The parameters: the changed ones in a table (always shown), the unchanged ones collapsed (left out
 * first when the comment runs short).
 */
export function paramsSection(params: readonly ParamChange[]): {
  changed: string;
  unchanged: { block: string; note: string } | undefined;
} {
  const changed = params.filter((p) => p.changed);
  const same = params.filter((p) => !p.changed);
  const heading =
    changed.length === 0
      ? `**Parameters**: none changed (${plural(same.length, 'parameter')}).`
      : `**Parameters**: ${plural(changed.length, 'changed parameter')}\n\n${paramsTable(changed)}`;
  return {
    changed: heading,
    unchanged:
      same.length === 0
        ? undefined
        : {
            block: `<details><summary>${plural(same.length, 'unchanged parameter')}</summary>\n\n${paramsTable(same)}\n\n</details>`,
            note: `the ${plural(same.length, 'unchanged parameter')}`,
          },
  };
}

/** An image the job made, already stored where readers of the repository can see it. */
export interface ReportImage {
  /** Its name as the job wrote it (shown as the caption; escaped here). */
  name: string;
  /**
   * Where it is served: a plain https URL, or a relative path of plain segments (a file beside the
   * report, as `mlactions demo` writes them); anything else is not linked.
   */
  url: string;
}

const HTTPS_URL = /^https:\/\/[^\s()<>[\]"'`]+$/;
/** Segments of letters, digits, `.`, `_` and `-`, none starting with a dot: no `..`, no hidden file. */
const RELATIVE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** The job's images, each with its name as caption; images whose URL is neither of the above are refused. */
export function imagesBlock(images: readonly ReportImage[]): string {
  const shown = images.filter((image) => HTTPS_URL.test(image.url) || RELATIVE_PATH.test(image.url));
  if (shown.length === 0) return '';
  const items = shown.map((image) => {
    const name = escapeMarkdown(image.name, 100);
    return `**${name}**\n\n![${name}](${image.url})`;
  });
  return `**Images from the job**\n\n${items.join('\n\n')}`;
}
