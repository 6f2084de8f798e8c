/**
 * The demo's report: what each step did, the metrics report of the candidate against production, the
 * gate's rules, the promotion and the drift check, as one markdown document (report.md, and the page
 * report.html is made from it).
 */
import { type DriftReport, renderDriftReport } from '@mlactions/drift';
import { escapeMarkdown, formatNumber } from '@mlactions/render';
import type { RuleResult } from '@mlactions/validate';
import { markdownTable } from 'markdown-table';
import { codeSpan } from './code-span.ts';
import { CLASSES, LABEL } from './dataset.ts';

export interface DemoSummary {
  model: string;
  seed: number;
  /** The store's URI as shown to the user. */
  store: string;
  data: { train: number; validation: number; holdout: number; live: number };
  versions: { version: string; features: number; epochs: number; accuracy: number }[];
  candidate: string;
  baseline: string;
  /** The metrics report's markdown (buildReport's summary), with its own heading and charts. */
  report: string;
  gate: readonly RuleResult[];
  alias: string;
  promoted: boolean;
  drift: DriftReport;
  /**
   * Where the candidate's confusion matrix was pushed (the repository as shown to the user), or why
   * not (the demo's own sentence, markdown as it is).
   */
  images: { repository: string; branch: string; paths: readonly string[] } | { skipped: string };
}

/** The columns that drifted, in the report's column order. */
export function driftedColumns(report: DriftReport): string[] {
  return report.features.filter((feature) => feature.drifted).map((feature) => feature.name);
}

/** A count as the demo's text writes it (thousands separated). */
export const count = (n: number) => n.toLocaleString('en-US');

function stepsTable(summary: DemoSummary): string {
  const [first, second] = summary.versions;
  const passed = summary.gate.filter((rule) => rule.passed).length;
  const drifted = driftedColumns(summary.drift);
  const trained = (v: DemoSummary['versions'][number]) =>
    `${v.version}: ${v.features} features, ${v.epochs} epochs, validation accuracy ${formatNumber(v.accuracy, 3)}`;
  return markdownTable([
    ['Step', 'What happened'],
    [
      'Data',
      `${count(summary.data.train)} training, ${count(summary.data.validation)} validation and ${count(summary.data.holdout)} held-out rows; ${count(summary.data.live)} rows of live data after a pricing campaign`,
    ],
    ['Train', `${trained(first!)}<br>${trained(second!)}`],
    [
      'Publish',
      `${first!.version} (then promoted to ${codeSpan(summary.alias)}) and ${second!.version} to ${codeSpan(summary.store)}`,
    ],
    [
      'Validate',
      `${summary.candidate} and ${codeSpan(summary.alias)} (${summary.baseline}), fetched from the store, on the held-out rows`,
    ],
    [
      'Images',
      'skipped' in summary.images
        ? `skipped. ${summary.images.skipped}`
        : `${summary.candidate}'s confusion matrix on the held-out rows, on the branch ${codeSpan(summary.images.branch)} of ${codeSpan(summary.images.repository)} (${summary.images.paths.map(codeSpan).join(', ')}), as the report action pushes a pull request's images`,
    ],
    ['Report', `${summary.candidate} against ${summary.baseline}: below`],
    [
      'Gate',
      `${passed} of ${summary.gate.length} rules hold: ${passed === summary.gate.length ? '**passed**' : '**failed**'}`,
    ],
    [
      'Promote',
      summary.promoted
        ? `${codeSpan(summary.alias)}: ${summary.baseline} → ${summary.candidate}`
        : `skipped: ${codeSpan(summary.alias)} still serves ${summary.baseline}`,
    ],
    [
      'Drift',
      summary.drift.drifted
        ? `drift found in ${drifted.map(codeSpan).join(', ')}`
        : `no drift (${drifted.length} of ${summary.drift.testedCount} columns)`,
    ],
  ]);
}

function gateTable(results: readonly RuleResult[]): string {
  return markdownTable([
    ['Rule', 'Value', 'Threshold', 'Result'],
    ...results.map((result) => [
      codeSpan(result.rule),
      result.actual === null ? '—' : formatNumber(result.actual, 4),
      result.expected === null ? '—' : formatNumber(result.expected, 4),
      result.status === 'failed' ? '**failed**' : result.status,
    ]),
  ]);
}

/** The whole report. */
export function reportMarkdown(summary: DemoSummary): string {
  const sections = [
    `# mlactions demo: ${escapeMarkdown(summary.model)}`,
    `The life of one model, run on this machine with no network: ${codeSpan(summary.model)} predicts a ` +
      `subscription's ${codeSpan(LABEL)} at renewal (${CLASSES.map(codeSpan).join(', ')}) from generated data ` +
      `(seed ${summary.seed}; ${codeSpan('plan')} is a category: 0 basic, 1 standard, 2 premium). The store is ` +
      `the folder ${codeSpan(summary.store)}.`,
    stepsTable(summary),
    `## ${escapeMarkdown(summary.candidate)} against ${escapeMarkdown(summary.baseline)}`,
    'Metrics of both versions: the training history (`history.csv`), the validation rows scored when ' +
      'each version was trained (`final.json`), and the held-out rows scored after fetching each version ' +
      'from the store (`holdout.json`).',
    summary.report.trim(),
    'skipped' in summary.images
      ? `The image step was skipped. ${summary.images.skipped}`
      : `The confusion matrix above (rows: the true ${codeSpan(LABEL)}, columns: the predicted one, both in the order ${CLASSES.map(codeSpan).join(', ')}; each square as blue as its share of its row) was read back from the branch.`,
    `## Gate: ${escapeMarkdown(summary.candidate)} on the held-out rows`,
    `Rules on the candidate's held-out metrics; \`baseline\` is ${codeSpan(summary.alias)} (${escapeMarkdown(summary.baseline)}) on the same rows.`,
    gateTable(summary.gate),
    summary.promoted
      ? `The gate passed, so ${codeSpan(summary.alias)} moved from ${escapeMarkdown(summary.baseline)} to ${escapeMarkdown(summary.candidate)}.`
      : `The gate failed, so ${codeSpan(summary.alias)} still serves ${escapeMarkdown(summary.baseline)}.`,
    '## Drift: live data against the training data',
    'The check the drift action runs on a schedule: the live data against the reference, here the training data.',
    renderDriftReport(summary.drift, { title: 'Drift report' }).full.trim(),
  ];
  return `${sections.join('\n\n')}\n`;
}
