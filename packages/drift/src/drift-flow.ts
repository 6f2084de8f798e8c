import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriftFilesResult } from './check-files.ts';
import type { DriftReport } from './compare.ts';
import { formatShare, renderDriftReport } from './drift-report.ts';
import { appendCheck, checkRecord, readHistory, renderHistorySection } from './history.ts';
import { checkQuality, type QualityOutcome, type QualityRule, renderQuality } from './quality.ts';

/** How retraining is started when drift is found. */
export interface RetrainDispatch {
  /** A workflow file name (or id) to start with `workflow_dispatch`. */
  workflow?: string;
  /** The branch or tag to run that workflow on; the run's own ref by default. */
  ref?: string;
  /** An event type to send as `repository_dispatch`. */
  eventType?: string;
  /** The model's name, passed on as the `model` input. */
  model?: string;
  /** `opened`: only when this run opens the issue (a new episode of drift); `drift`: on every drifted run. */
  when: 'opened' | 'drift';
}

export interface DriftFlowInputs {
  /** Names the check: one open issue per check name. */
  checkName: string;
  /** The report's heading. */
  title: string;
  issueTitle: string;
  labels: string[];
  assignees: string[];
  closeOnRecovery: boolean;
  dispatch?: RetrainDispatch;
  /** Folder for report.json and report.md. */
  outputDir: string;
  /** Checks whose per-column statistics the issue keeps and charts (0: none). */
  historyChecks: number;
  /** Data-quality rules checked on the current data beside drift; a failed one is a problem too. */
  quality: readonly QualityRule[];
}

/** What the drift issue holds: one open issue per check, kept by the front's tracker. */
export interface DriftIssueState {
  /** The check's name, which finds its open issue. */
  key: string;
  title: string;
  labels: string[];
  assignees: string[];
  /** Drift or a failed data-quality rule now: open the issue, or comment on the open one. */
  problem: boolean;
  body: string;
  /** The drift is gone: comment with this, and close the issue when asked. */
  recoveredBody: string;
  closeOnRecovery: boolean;
  /** The issue's body from its current one (undefined when opening): the latest report and the history. */
  issueBody?: (previous: string | undefined) => string;
}

/** What became of the issue: `none` when there is no drift and no open issue. */
export interface DriftIssueOutcome {
  action: 'opened' | 'commented' | 'closed' | 'none';
  number?: number;
  url?: string;
}

/** The GitHub side, passed in by the front (functions bound to its client and repository). */
export interface DriftFlowDeps {
  /** The run: its ref is where a dispatched workflow runs by default, its URL is linked. */
  event: { ref: string; runUrl: string };
  writeSummary: (markdown: string) => Promise<void>;
  /** Runs the drift check (the front binds checkDriftFiles to its inputs). */
  check: () => Promise<DriftFilesResult>;
  trackIssue: (state: DriftIssueState) => Promise<DriftIssueOutcome>;
  /** Starts a workflow with `workflow_dispatch`. */
  dispatchWorkflow: (request: {
    workflow: string;
    ref: string;
    inputs: Record<string, string>;
  }) => Promise<void>;
  /** Sends a `repository_dispatch` event. */
  dispatchRepository: (request: { eventType: string; payload: Record<string, unknown> }) => Promise<void>;
  /** A warning for the run's log and annotations (a damaged history in the issue). */
  warn: (message: string) => void;
  /** The check's time, as the history records it. */
  now: () => Date;
}

export interface DriftFlowResult {
  /** What the check returned: the report, the profiles, where the reference profile was saved. */
  check: DriftFilesResult;
  report: DriftReport;
  /** The data-quality rules' outcome (passed, with no rules). */
  quality: QualityOutcome;
  reportPath: string;
  markdownPath: string;
  issue: DriftIssueOutcome;
  /** What was dispatched: `workflow <file>` and/or `repository_dispatch <type>`. */
  dispatched: string[];
}

/** The room for a comment: renderDriftReport's default, under GitHub's 65,536 with room for a marker. */
const COMMENT_CHARS = 60_000;

/** The room for an issue's body: GitHub's 65,536 characters less the marker and the first line. */
const ISSUE_BODY_CHARS = 64_000;

/** A link to the run, or plain words when the URL is not a plain https URL (it could carry markdown). */
function runLink(url: string): string {
  return /^https:\/\/[^\s()<>[\]]+$/.test(url) ? `[this run](${url})` : 'this run';
}

/**
 * Why retraining was asked for, in words safe wherever the receiving workflow puts them: counts only,
 * never column names (those are data, and a workflow may interpolate its inputs into a script).
 */
export function retrainReason(report: DriftReport, issue: number | undefined): string {
  const keys = report.driftedKeyFeatures.length;
  return (
    `Data drift: ${report.driftedCount} of ${report.testedCount} tested columns drifted (${formatShare(report.driftShare)})` +
    `${keys > 0 ? `, ${keys} of them key features` : ''}${issue !== undefined ? `; see issue #${issue}` : ''}.`
  );
}

async function dispatchRetraining(
  deps: DriftFlowDeps,
  dispatch: RetrainDispatch,
  report: DriftReport,
  issue: DriftIssueOutcome,
): Promise<string[]> {
  const reason = retrainReason(report, issue.number);
  const done: string[] = [];
  if (dispatch.workflow) {
    await deps.dispatchWorkflow({
      workflow: dispatch.workflow,
      ref: dispatch.ref ?? deps.event.ref,
      inputs: {
        ...(dispatch.model ? { model: dispatch.model } : {}),
        reason,
        ...(issue.number !== undefined ? { issue: String(issue.number) } : {}),
      },
    });
    done.push(`workflow ${dispatch.workflow}`);
  }
  if (dispatch.eventType) {
    await deps.dispatchRepository({
      eventType: dispatch.eventType,
      payload: {
        ...(dispatch.model ? { model: dispatch.model } : {}),
        reason,
        ...(issue.number !== undefined ? { issue: issue.number } : {}),
        drift_share: report.driftShare,
        drifted_columns: report.features.filter((f) => f.drifted).map((f) => f.name),
        run_url: deps.event.runUrl,
      },
    });
    done.push(`repository_dispatch ${dispatch.eventType}`);
  }
  return done;
}

/**
 * The drift action: run the check, write the report files and the job summary, keep one issue per
 * check (opened on drift, commented while it lasts, commented and optionally closed when it is
 * gone), and ask for retraining.
 */
export async function runDriftFlow(inputs: DriftFlowInputs, deps: DriftFlowDeps): Promise<DriftFlowResult> {
  const check = await deps.check();
  const { report } = check;
  const quality = checkQuality(inputs.quality, check.current);
  const qualitySection = renderQuality(quality);
  // The quality section goes with every rendering; the report gets the room it leaves.
  const withQuality = (text: string) => (qualitySection ? `${text}\n\n${qualitySection}` : text);
  const render = (maxChars?: number) =>
    renderDriftReport(report, {
      title: inputs.title,
      fullReportUrl: deps.event.runUrl,
      ...(maxChars === undefined ? {} : { maxChars: maxChars - qualitySection.length }),
    });
  const rendered = render(COMMENT_CHARS);
  // The summary first: it is the report of record even when the issue cannot be written.
  await deps.writeSummary(withQuality(rendered.summary));
  await mkdir(inputs.outputDir, { recursive: true });
  const reportPath = join(inputs.outputDir, 'report.json');
  const markdownPath = join(inputs.outputDir, 'report.md');
  const document = inputs.quality.length > 0 ? { ...report, quality } : report;
  await writeFile(reportPath, `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(markdownPath, withQuality(rendered.full));
  const comment = withQuality(rendered.comment);

  const link = runLink(deps.event.runUrl);
  const record = checkRecord(report, deps.now());
  const issueBody = (previous: string | undefined) => {
    const read = readHistory(previous);
    if (read.damaged)
      deps.warn(
        `The drift history kept in the issue was ignored (${read.damaged}); a new one starts with this check.`,
      );
    const section = renderHistorySection(appendCheck(read.checks, record, inputs.historyChecks));
    // The body holds the history beside the report: the report gets the room the history leaves.
    const latest = withQuality(render(ISSUE_BODY_CHARS - section.length).comment);
    return `${previous === undefined ? 'Found' : 'Last checked'} by ${link}.\n\n${latest}\n\n${section}`;
  };
  const issue = await deps.trackIssue({
    key: inputs.checkName,
    title: inputs.issueTitle,
    labels: inputs.labels,
    assignees: inputs.assignees,
    problem: report.drifted || !quality.passed,
    body: `Found by ${link}.\n\n${comment}`,
    recoveredBody: `The drift is gone as of ${link}.\n\n${comment}`,
    closeOnRecovery: inputs.closeOnRecovery,
    ...(inputs.historyChecks > 0 ? { issueBody } : {}),
  });
  const dispatch = inputs.dispatch;
  const wanted =
    report.drifted && dispatch !== undefined && (dispatch.when === 'drift' || issue.action === 'opened');
  const dispatched = wanted ? await dispatchRetraining(deps, dispatch, report, issue) : [];
  return { check, report, quality, reportPath, markdownPath, issue, dispatched };
}
