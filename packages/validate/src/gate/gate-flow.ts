import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { writeCurveFiles } from '../evaluate/curves.ts';
import { failureLines, type GateOutcome, type GateRequest, gateJson, runGate } from './gate.ts';
import { renderGate } from './render.ts';

/** A commit status to post on the commit the gate judged. */
export interface GateStatus {
  sha: string;
  state: 'success' | 'failure' | 'error';
  context: string;
  description: string;
  targetUrl?: string;
}

/** A completed check run with the gate's details. */
export interface GateCheckRun {
  headSha: string;
  name: string;
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  text: string;
  detailsUrl?: string;
}

export interface GateFlowInputs {
  request: GateRequest;
  /** The commit status's context: what branch protection or a ruleset requires. */
  context: string;
  /** Also post a check run with the details (where the token may create one). */
  checkRun: boolean;
  /** Folder for metrics.json, gate.json, gate.md and (for a classifier) curves/. */
  outputDir: string;
}

/** The GitHub side, passed in by the action (posting functions bound to its client and repository). */
export interface GateFlowDeps {
  /** The event: the pull request's head is judged, not the merge commit GitHub tests. */
  event: { sha: string; runUrl: string; pullRequest: { headSha: string; fromFork: boolean } | undefined };
  postStatus: (status: GateStatus) => Promise<void>;
  postCheckRun: (run: GateCheckRun) => Promise<{ posted: boolean; url?: string; reason?: string }>;
  writeSummary: (markdown: string) => Promise<void>;
  /** A warning for the run's log and annotations (a check run the token may not create). */
  warn: (message: string) => void;
}

export interface GateFlowResult {
  outcome: GateOutcome;
  /** What failed and why, one line each. */
  failures: string[];
  /** The commit the status was posted on. */
  sha: string;
  /** The candidate's metrics: the validate report, or the metrics read (a later run's baseline). */
  metricsPath: string;
  /** The gate's JSON report, and the same as markdown. */
  reportPath: string;
  markdownPath: string;
  /** roc.csv, precision_recall.csv and calibration.csv, for the report's `plots`, when a classifier was validated. */
  curvesDir?: string;
  checkRunUrl?: string;
  statusPosted: boolean;
}

/** GitHub keeps a status's description to one short line. */
const firstLine = (text: string) => text.split('\n')[0]!;

/**
 * The gate action: run the gate, write its files and the job summary, then post the check run
 * (details) and the commit status (what branch protection requires) on the pull request's head.
 * When the gate cannot run (a model that does not fit the data, a missing file) an `error` status
 * says so before the error ends the step, so the required check does not wait forever.
 */
export async function runGateFlow(inputs: GateFlowInputs, deps: GateFlowDeps): Promise<GateFlowResult> {
  const sha = deps.event.pullRequest?.headSha ?? deps.event.sha;
  let outcome: GateOutcome;
  try {
    outcome = await runGate(inputs.request);
  } catch (error) {
    await postErrorStatus(inputs, deps, sha, error);
    throw error;
  }
  const rendered = renderGate(outcome);
  const failures = failureLines(outcome);
  // The summary and files first: they are the record even when posting to GitHub fails.
  await deps.writeSummary(rendered.markdown);
  await mkdir(inputs.outputDir, { recursive: true });
  const metricsPath = join(inputs.outputDir, 'metrics.json');
  const reportPath = join(inputs.outputDir, 'gate.json');
  const markdownPath = join(inputs.outputDir, 'gate.md');
  const metricsDocument = outcome.report ?? Object.fromEntries(outcome.metrics);
  await writeFile(metricsPath, `${JSON.stringify(metricsDocument, null, 2)}\n`);
  await writeFile(reportPath, `${JSON.stringify(gateJson(outcome), null, 2)}\n`);
  await writeFile(markdownPath, rendered.markdown);
  const curvesDir = outcome.curves ? join(inputs.outputDir, 'curves') : undefined;
  if (outcome.curves && curvesDir) await writeCurveFiles(outcome.curves, curvesDir);

  let checkRunUrl: string | undefined;
  if (inputs.checkRun) {
    const posted = await deps.postCheckRun({
      headSha: sha,
      name: inputs.context,
      conclusion: outcome.passed ? 'success' : 'failure',
      title: rendered.headline,
      summary: rendered.summary,
      text: rendered.details,
      detailsUrl: deps.event.runUrl,
    });
    if (posted.posted) checkRunUrl = posted.url;
    else
      deps.warn(
        `No check run with the gate's details: ${posted.reason}. The commit status is posted all the same.`,
      );
  }
  const statusPosted = await postOrExplain(deps, {
    sha,
    state: outcome.passed ? 'success' : 'failure',
    context: inputs.context,
    description: rendered.headline,
    targetUrl: checkRunUrl ?? deps.event.runUrl,
  });
  return {
    outcome,
    failures,
    sha,
    metricsPath,
    reportPath,
    markdownPath,
    ...(curvesDir ? { curvesDir } : {}),
    ...(checkRunUrl ? { checkRunUrl } : {}),
    statusPosted,
  };
}

/**
 * Posts the status. A pull request from a fork runs with a read-only token, so there the refusal is
 * a warning (the step's own result still gates) rather than a second failure.
 */
async function postOrExplain(deps: GateFlowDeps, status: GateStatus): Promise<boolean> {
  try {
    await deps.postStatus(status);
    return true;
  } catch (error) {
    if (!(deps.event.pullRequest?.fromFork && isUserError(error))) throw error;
    deps.warn(
      `No commit status on this pull request from a fork: ${error.message} Require this job's check instead of the status for fork pull requests.`,
    );
    return false;
  }
}

async function postErrorStatus(inputs: GateFlowInputs, deps: GateFlowDeps, sha: string, error: unknown) {
  // A fork's read-only token could not post it; the step's failure says all there is.
  if (deps.event.pullRequest?.fromFork) return;
  const reason = isUserError(error) ? firstLine(error.message) : 'the gate failed to run';
  try {
    await deps.postStatus({
      sha,
      state: 'error',
      context: inputs.context,
      description: `The gate could not run: ${reason}`,
      targetUrl: deps.event.runUrl,
    });
  } catch (postError) {
    deps.warn(`The error status could not be posted either: ${(postError as Error).message}`);
  }
}
