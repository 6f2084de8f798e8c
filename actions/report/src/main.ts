import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import {
  appendSummary,
  booleanInput,
  choiceInput,
  createClient,
  eventInfo,
  type GitHubClient,
  linesInput,
  numberInput,
  onlyWith,
  requiredInput,
  requiredLines,
  runMain,
  runReportFlow,
  storeAccessInputs,
  stringInput,
  type TriggeringRun,
  type WithoutPullRequest,
} from '@mlactions/github';
import { openStoreWithAccess, storeBaseline } from '@mlactions/store';

/** The baseline from a store version or alias, when `base-store` is given (read with the comment's client). */
async function baselineFromStore(workspace: string, client: GitHubClient) {
  const uri = stringInput('base-store');
  onlyWith('base-store', ['base-model', 'endpoint']);
  if (uri === undefined) return undefined;
  const store = openStoreWithAccess(uri, storeAccessInputs('read', client), { cwd: workspace });
  return storeBaseline(store, requiredInput('base-model'), stringInput('base-version') ?? 'production', {
    history: numberInput('base-history', 5),
  });
}

/** The run a workflow_run reporter follows, from GitHub's payload (never from the run's artifact). */
function triggeringRun(): TriggeringRun | undefined {
  const run = context.payload.workflow_run;
  if (!run) return undefined;
  return {
    headSha: run.head_sha,
    headRepository: run.head_repository?.full_name,
    headBranch: run.head_branch,
  };
}

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const key = stringInput('key') ?? 'metrics';
  // Every input is read before any work, so a bad one fails the step with nothing posted.
  const failOnRegression = booleanInput('fail-on-regression', false);
  const client = createClient({ token: requiredInput('token'), log: core.info });
  const baseline = await baselineFromStore(workspace, client);
  const pullRequestFile = stringInput('pull-request-file');
  const run = triggeringRun();
  const rulesFile = stringInput('rules');
  const result = await runReportFlow(
    {
      head: requiredLines('head'),
      base: linesInput('base'),
      ...(baseline ? { baseline } : {}),
      key,
      title: stringInput('title') ?? 'Metrics report',
      ...(rulesFile ? { rulesFile } : {}),
      absolute: numberInput('absolute-tolerance', 0),
      relative: numberInput('relative-tolerance', 0),
      alpha: numberInput('alpha', 0.05),
      withoutPullRequest: choiceInput<WithoutPullRequest>(
        'without-pull-request',
        ['summary', 'commit-comment'],
        'summary',
      ),
      outputDir: resolve(
        workspace,
        stringInput('output-dir') ?? join(process.env.RUNNER_TEMP ?? '.', `mlactions-report-${key}`),
      ),
      cwd: workspace,
      ...(pullRequestFile ? { pullRequestFile, ...(run ? { triggeringRun: run } : {}) } : {}),
    },
    {
      client,
      event: eventInfo(),
      writeSummary: appendSummary,
    },
  );

  if (result.noBaseline)
    core.notice(`No baseline: ${result.noBaseline}. This report lists the metrics as they are.`);
  if (result.delivery.reason) core.info(`Report left in the job summary: ${result.delivery.reason}.`);
  if (result.delivery.url) core.info(`Report ${result.delivery.action ?? 'posted'}: ${result.delivery.url}`);
  core.setOutput('report', result.reportPath);
  core.setOutput('markdown', result.markdownPath);
  core.setOutput('improved', result.improved);
  core.setOutput('regressed-count', result.regressed);
  core.setOutput('regressed', result.regressed > 0);
  if (result.delivery.url) core.setOutput('comment-url', result.delivery.url);
  if (result.artifactDir) core.setOutput('artifact-dir', result.artifactDir);
  if (result.regressed > 0 && failOnRegression) {
    core.setFailed(`${result.regressed} metric(s) regressed; see the report.`);
  }
});
