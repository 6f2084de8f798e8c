import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@mlactions/core';
import {
  appendSummary,
  booleanInput,
  choiceInput,
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
import { openStoreWithAccess } from '@mlactions/store';
import type { BaselineSource, GateCandidate, MissingBaselinePolicy, Task } from '@mlactions/validate';
import { runGateFlow } from '@mlactions/validate';

/** The event, judged on `commit` when one is given (a workflow_run gate names the fork's head). */
function onCommit(event: EventInfo, commit: string | undefined): EventInfo {
  if (commit === undefined) return event;
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new UserError(`commit must be a full 40-character sha, got ${JSON.stringify(commit)}`);
  return { ...event, sha: commit, pullRequest: undefined };
}

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const at = (path: string) => resolve(workspace, path);
  const token = requiredInput('token');
  const client = createClient({ token, log: core.info });
  const event = onCommit(eventInfo(), stringInput('commit'));

  const metricsFile = stringInput('metrics');
  const task = choiceInput<Task>('task', ['classification', 'regression']);
  const features = listInput('features');
  const exclude = listInput('exclude');
  const slice = stringInput('slice');
  const candidate: GateCandidate = metricsFile
    ? { kind: 'metrics', path: at(metricsFile) }
    : {
        kind: 'model',
        validate: {
          model: at(requiredInput('model')),
          data: at(requiredInput('data')),
          label: requiredInput('label'),
          ...(task ? { task } : {}),
          ...(features.length > 0 ? { features } : {}),
          ...(exclude.length > 0 ? { exclude } : {}),
          ...(slice ? { slice } : {}),
        },
      };

  let baseline: BaselineSource | undefined;
  const baselineFile = stringInput('baseline');
  const storeUri = stringInput('store');
  onlyWith('store', ['name', 'baseline-alias', 'baseline-version', 'endpoint']);
  if (baselineFile && storeUri) {
    throw new UserError('give the baseline as a file (`baseline`) or from a store (`store`), not both');
  }
  if (baselineFile) baseline = { kind: 'file', path: at(baselineFile) };
  if (storeUri) {
    const version = stringInput('baseline-version');
    const alias = stringInput('baseline-alias') ?? (version ? undefined : 'production');
    baseline = {
      kind: 'store',
      store: openStoreWithAccess(storeUri, storeAccessInputs('read'), { cwd: workspace }),
      name: requiredInput('name'),
      ...(version ? { version } : {}),
      ...(alias ? { alias } : {}),
    };
  }

  const baselineModel = stringInput('baseline-model');
  const context = stringInput('context') ?? 'mlactions/gate';
  const result = await runGateFlow(
    {
      request: {
        rules: linesInput('rules'),
        candidate,
        ...(baseline ? { baseline } : {}),
        ...(baselineModel ? { baselineModel: at(baselineModel) } : {}),
        bootstrap: {
          metrics: listInput('bootstrap-metrics'),
          margin: numberInput('bootstrap-margin', 0),
          confidence: numberInput('confidence', 0.95),
          resamples: numberInput('resamples', 1000),
        },
        missingBaseline: choiceInput<MissingBaselinePolicy>('missing-baseline', ['skip', 'error'], 'skip'),
      },
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
  if (result.checkRunUrl) core.setOutput('check-run-url', result.checkRunUrl);
  if (!outcome.passed) {
    const message = `The gate failed:\n${result.failures.join('\n')}`;
    if (booleanInput('fail-on-failure', true)) core.setFailed(message);
    else core.warning(message);
  }
});
