import { escapeMarkdown, formatNumber } from '@mlactions/render';
import { markdownTable } from 'markdown-table';
import { MISSING_SLICE } from '../evaluate/flatten.ts';
import type { ValidationReport } from '../evaluate/report.ts';
import { bootstrapVerdict } from '../metrics/bootstrap.ts';
import type { RuleResult } from '../rules/evaluate.ts';
import type { BootstrapCheck, GateOutcome } from './gate.ts';

/** Rows of the metrics table beyond which the rest is left to the JSON file (slices can be many). */
const MAX_METRIC_ROWS = 500;

const MARK = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;

const table = (rows: string[][]) => markdownTable(rows, { alignDelimiters: false });

const cell = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : formatNumber(value);

/** `accuracy >= 0.9` style counts for a headline: how many checks failed out of how many. */
function counts(outcome: GateOutcome): { failed: number; total: number; skipped: number } {
  const checks = [...outcome.rules, ...outcome.bootstrap];
  return {
    failed: checks.filter((c) => !c.passed).length,
    total: checks.length,
    skipped: outcome.rules.filter((r) => r.status === 'skipped').length,
  };
}

/** One plain-text line for a commit status or a check run's title (no markdown). */
export function gateHeadline(outcome: GateOutcome): string {
  const { failed, total, skipped } = counts(outcome);
  const noun = total === 1 ? 'check' : 'checks';
  if (failed === 0) {
    return `${total === 1 ? '1 check' : `All ${total} ${noun}`} passed${skipped > 0 ? ` (${skipped} skipped: no baseline)` : ''}`;
  }
  const first =
    outcome.rules.find((r) => !r.passed)?.rule ?? outcome.bootstrap.find((b) => !b.passed)?.metric;
  return `${failed} of ${total} ${noun} failed: ${first}${failed > 1 ? ', …' : ''}`;
}

function rulesTable(rules: readonly RuleResult[]): string {
  return table([
    ['', 'Rule', 'Value', 'Compared with', 'Result'],
    ...rules.map((r) => [
      MARK[r.status],
      escapeMarkdown(r.rule, 300),
      cell(r.actual),
      cell(r.expected),
      r.status,
    ]),
  ]);
}

function bootstrapTable(checks: readonly BootstrapCheck[]): string {
  return table([
    ['', 'Metric', 'Candidate', 'Baseline model', 'Change', 'Interval', 'Verdict'],
    ...checks.map((c) => [
      c.passed ? MARK.passed : MARK.failed,
      escapeMarkdown(c.metric),
      cell(c.candidate),
      cell(c.baseline),
      cell(c.delta),
      `[${cell(c.low)}, ${cell(c.high)}]`,
      bootstrapVerdict(c),
    ]),
  ]);
}

function metricsTable(outcome: GateOutcome): string {
  const names = [...outcome.metrics.keys()];
  const base = outcome.baseline?.metrics;
  const shown = names
    .slice(0, MAX_METRIC_ROWS)
    .map((name) => [
      escapeMarkdown(name),
      cell(outcome.metrics.get(name)),
      ...(base ? [cell(base.get(name))] : []),
    ]);
  const more =
    names.length > MAX_METRIC_ROWS
      ? `\n\n${names.length - MAX_METRIC_ROWS} more metrics are in the gate's JSON report.`
      : '';
  return `${table([['Metric', 'Candidate', ...(base ? ['Baseline'] : [])], ...shown])}${more}`;
}

export interface RenderedGate {
  /** Plain text: passed or what failed, for a commit status (140 characters) or a check run's title. */
  readonly headline: string;
  /** The verdict, the rules and the bootstrap: a check run's summary. */
  readonly summary: string;
  /** The metrics (and the validation report's details): a check run's text. */
  readonly details: string;
  /** summary and details together: the job summary, or the CLI's markdown. */
  readonly markdown: string;
}

/**
 * The gate's outcome as markdown. Every rule text, metric name, class and path is escaped, since all
 * of them come from the user's files or workflow.
 */
export function renderGate(outcome: GateOutcome, title = 'Model gate'): RenderedGate {
  const headline = gateHeadline(outcome);
  const parts = [
    `## ${outcome.passed ? MARK.passed : MARK.failed} ${escapeMarkdown(title, 100)}: ${outcome.passed ? 'passed' : 'failed'}`,
    escapeMarkdown(headline, 300),
  ];
  if (outcome.rules.length > 0) parts.push(rulesTable(outcome.rules));
  if (outcome.bootstrap.length > 0) {
    const first = outcome.bootstrap[0]!;
    parts.push(
      `Paired bootstrap against the ${first.against} (${first.resamples} resamples, ${Number((first.confidence * 100).toPrecision(4))}% interval of candidate − baseline; fails only when the candidate is worse beyond the margin${first.margin > 0 ? ` of ${formatNumber(first.margin)}` : ''}):`,
      bootstrapTable(outcome.bootstrap),
    );
  }
  if (outcome.baseline) parts.push(`Baseline: ${escapeMarkdown(outcome.baseline.source, 300)}.`);
  else if (outcome.noBaseline)
    parts.push(
      `No baseline: ${escapeMarkdown(outcome.noBaseline, 300)}; rules that compare with it were skipped.`,
    );
  const summary = parts.join('\n\n');
  // The metrics table holds the slices' numbers too (as rules name them), beside the baseline's.
  const details = [
    ...(outcome.report ? [validationOverview(outcome.report, '###')] : ['### Metrics']),
    metricsTable(outcome),
    ...(outcome.report ? confusionMatrix(outcome.report) : []),
  ].join('\n\n');
  return { headline, summary, details, markdown: `${summary}\n\n${details}\n` };
}

/** What was validated: the task, the rows, the output scored and the features. */
function validationOverview(report: ValidationReport, heading: string): string {
  const skipped = report.missingLabels > 0 ? ` (${report.missingLabels} without a label, skipped)` : '';
  return [
    `${heading} Validation: ${report.task}, ${report.rows} rows${report.task === 'ranking' ? ` in ${report.queries} queries` : ''}${skipped}`,
    `Scored ${report.features ? 'output' : 'predictions'} “${escapeMarkdown(report.output.name)}”, read as ${report.output.kind}${report.features ? `; features: ${report.features.map((f) => escapeMarkdown(f, 80)).join(', ')}` : ''}.`,
  ].join('\n\n');
}

function confusionMatrix(report: ValidationReport): string[] {
  if (report.task !== 'classification') return [];
  const classes = report.classes.map((c) => escapeMarkdown(c, 60));
  return [
    'Confusion matrix (rows: true class, columns: predicted):',
    table([
      ['', ...classes],
      ...report.metrics.confusion_matrix.map((row, i) => [classes[i]!, ...row.map(String)]),
    ]),
  ];
}

function sliceTable(report: ValidationReport): string[] {
  if (!report.slices) return [];
  const { column, groups } = report.slices;
  const values = (metrics: object) => metrics as Record<string, unknown>;
  const names = Object.entries(values(groups[0]?.metrics ?? {}))
    .filter(([, value]) => typeof value === 'number' || value === null)
    .map(([name]) => name);
  return [
    `Slices by ${escapeMarkdown(column)}:`,
    table([
      [escapeMarkdown(column), 'Rows', ...names.map((n) => escapeMarkdown(n))],
      ...groups
        .slice(0, MAX_METRIC_ROWS)
        .map((g) => [
          escapeMarkdown(g.value ?? MISSING_SLICE, 80),
          String(g.rows),
          ...names.map((n) => cell(values(g.metrics)[n] as number | null)),
        ]),
    ]),
  ];
}

/**
 * A validation report for people (`mlactions validate`): task, rows, metrics, the confusion matrix
 * and the slices. Class names, columns and slice values are escaped (they come from the data).
 */
export function renderValidation(report: ValidationReport): string {
  const scalar = Object.entries(report.metrics).filter(
    (entry): entry is [string, number | null] => typeof entry[1] === 'number' || entry[1] === null,
  );
  return [
    validationOverview(report, '##'),
    table([['Metric', 'Value'], ...scalar.map(([name, value]) => [escapeMarkdown(name), cell(value)])]),
    ...confusionMatrix(report),
    ...sliceTable(report),
  ].join('\n\n');
}
