import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@mlactions/core';
import type { DriftFilesResult, DriftReport } from '@mlactions/drift';
import { formatShare, renderDriftReport } from '@mlactions/render';
import type { EventInfo } from './action-io.ts';
import type { GitHubClient } from './client.ts';
import { dispatchRepository, dispatchWorkflow } from './dispatch.ts';
import { type IssueOutcome, upsertIssue } from './issue-upsert.ts';
import { tokenIdentity } from './token-identity.ts';

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
  /** The login the token writes as, when GET /user cannot tell (a GitHub App's `<slug>[bot]`). */
  commentAuthor?: string;
  dispatch?: RetrainDispatch;
  /** Folder for report.json and report.md. */
  outputDir: string;
}

export interface DriftFlowDeps {
  client: GitHubClient;
  event: EventInfo;
  writeSummary: (markdown: string) => Promise<void>;
  /** Runs the drift check (the front binds @mlactions/drift's checkDriftFiles to its inputs). */
  check: () => Promise<DriftFilesResult>;
}

export interface DriftFlowResult {
  /** What the check returned: the report, the profiles, where the reference profile was saved. */
  check: DriftFilesResult;
  report: DriftReport;
  reportPath: string;
  markdownPath: string;
  issue: IssueOutcome;
  /** What was dispatched: `workflow <file>` and/or `repository_dispatch <type>`. */
  dispatched: string[];
}

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
  issue: IssueOutcome,
): Promise<string[]> {
  const { owner, repo } = deps.event;
  const reason = retrainReason(report, issue.number);
  const done: string[] = [];
  if (dispatch.workflow) {
    const ref = dispatch.ref ?? deps.event.ref;
    const inputs = {
      ...(dispatch.model ? { model: dispatch.model } : {}),
      reason,
      ...(issue.number !== undefined ? { issue: String(issue.number) } : {}),
    };
    await dispatchWorkflow(deps.client, { owner, repo, workflow: dispatch.workflow, ref, inputs }).catch(
      (error: { status?: number; message?: string }) => {
        // 422: no such ref, no workflow_dispatch trigger, or inputs the workflow does not declare.
        if (error?.status !== 422) throw error;
        throw new UserError(
          `GitHub refused to start ${dispatch.workflow} on ${ref} (${error.message}). The workflow must exist on ` +
            `that ref with \`on: workflow_dispatch\` declaring the inputs ${Object.keys(inputs).join(', ')}.`,
        );
      },
    );
    done.push(`workflow ${dispatch.workflow}`);
  }
  if (dispatch.eventType) {
    await dispatchRepository(deps.client, {
      owner,
      repo,
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
  const rendered = renderDriftReport(report, { title: inputs.title, fullReportUrl: deps.event.runUrl });
  // The summary first: it is the report of record even when the issue cannot be written.
  await deps.writeSummary(rendered.summary);
  await mkdir(inputs.outputDir, { recursive: true });
  const reportPath = join(inputs.outputDir, 'report.json');
  const markdownPath = join(inputs.outputDir, 'report.md');
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownPath, rendered.full);

  const link = runLink(deps.event.runUrl);
  const issue = await upsertIssue(
    deps.client,
    {
      owner: deps.event.owner,
      repo: deps.event.repo,
      key: inputs.checkName,
      title: inputs.issueTitle,
      labels: inputs.labels,
      assignees: inputs.assignees,
      author: await tokenIdentity(deps.client, inputs.commentAuthor),
    },
    {
      problem: report.drifted,
      body: `Found by ${link}.\n\n${rendered.comment}`,
      recoveredBody: `The drift is gone as of ${link}.\n\n${rendered.comment}`,
      closeOnRecovery: inputs.closeOnRecovery,
    },
  );
  const dispatch = inputs.dispatch;
  const wanted =
    report.drifted && dispatch !== undefined && (dispatch.when === 'drift' || issue.action === 'opened');
  const dispatched = wanted ? await dispatchRetraining(deps, dispatch, report, issue) : [];
  return { check, report, reportPath, markdownPath, issue, dispatched };
}
