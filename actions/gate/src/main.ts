import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@mlactions/core';
import {
  appendSummary,
  booleanInput,
  createClient,
  type EventInfo,
  eventInfo,
  linesInput,
  listInput,
  numberInput,
  onlyWith,
  postCheckRun,
  postCommitStatus,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import { openStoreWithAccess, s3DataReader } from '@mlactions/store';
import { gateRequestFrom, runGateFlow } from '@mlactions/validate';

/** The event, judged on `commit` when one is given (a workflow_run gate names the fork's head). */
function onCommit(event: EventInfo, commit: string | undefined): EventInfo {
  if (commit === undefined) return event;
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new UserError(`commit must be a full 40-character sha, got ${JSON.stringify(commit)}`);
  return { ...event, sha: commit, pullRequest: undefined };
}

await runMain(async ({ workspace }) => {
  const at = (path: string) => resolve(workspace, path);
  const token = requiredInput('token');
  const client = createClient({ token, log: core.info });
  const event = onCommit(eventInfo(), stringInput('commit'));

  // The endpoint serves a store, or s3:// data.
  const endpoint = stringInput('endpoint');
  if (!stringInput('data')?.startsWith('s3://')) onlyWith('store', ['endpoint']);
  const request = gateRequestFrom(
    {
      rules: linesInput('rules'),
      metrics: stringInput('metrics'),
      model: stringInput('model'),
      data: stringInput('data'),
      label: stringInput('label'),
      task: stringInput('task'),
      features: listInput('features'),
      exclude: listInput('exclude'),
      slice: stringInput('slice'),
      predictions: stringInput('predictions'),
      predictionColumn: stringInput('prediction-column'),
      probabilityPrefix: stringInput('probability-prefix'),
      query: stringInput('query'),
      k: listInput('k'),
      id: stringInput('id'),
      baselinePredictions: stringInput('baseline-predictions'),
      baseline: stringInput('baseline'),
      store: stringInput('store'),
      name: stringInput('name'),
      baselineVersion: stringInput('baseline-version'),
      baselineAlias: stringInput('baseline-alias'),
      baselineModel: stringInput('baseline-model'),
      bootstrapMetrics: listInput('bootstrap-metrics'),
      margin: numberInput('bootstrap-margin'),
      confidence: numberInput('confidence'),
      resamples: numberInput('resamples'),
      missingBaseline: stringInput('missing-baseline'),
    },
    {
      cwd: workspace,
      openStore: (uri) => openStoreWithAccess(uri, storeAccessInputs('read'), { cwd: workspace }),
      remote: s3DataReader(endpoint ? { endpoint } : {}),
    },
  );
  const context = stringInput('context') ?? 'mlactions/gate';
  const result = await runGateFlow(
    {
      request,
      context,
      checkRun: booleanInput('check-run', true),
      outputDir: at(stringInput('output-dir') ?? join(process.env.RUNNER_TEMP ?? '.', 'mlactions-gate')),
    },
    {
      event,
      postStatus: (status) => postCommitStatus(client, { owner: event.owner, repo: event.repo, ...status }),
      postCheckRun: (run) => postCheckRun(client, { owner: event.owner, repo: event.repo, ...run }),
      writeSummary: appendSummary,
      warn: (message) => core.warning(message),
    },
  );

  const { outcome } = result;
  if (outcome.noBaseline && outcome.rules.some((r) => r.status === 'skipped')) {
    core.notice(`No baseline: ${outcome.noBaseline}. The rules that compare with it were skipped.`);
  }
  if (result.statusPosted) core.info(`Status ${context} posted on ${result.sha}.`);
  core.setOutput('passed', outcome.passed);
  core.setOutput('failed-rules', result.failures.join('\n'));
  core.setOutput('metrics', result.metricsPath);
  core.setOutput('report', result.reportPath);
  core.setOutput('markdown', result.markdownPath);
  if (result.curvesDir) core.setOutput('curves-dir', result.curvesDir);
  if (result.checkRunUrl) core.setOutput('check-run-url', result.checkRunUrl);
  if (!outcome.passed) {
    const message = `The gate failed:\n${result.failures.join('\n')}`;
    if (booleanInput('fail-on-failure', true)) core.setFailed(message);
    else core.warning(message);
  }
});
