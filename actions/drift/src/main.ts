import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  checkDriftFiles,
  driftRequestFrom,
  historyChecksFrom,
  qualityRulesFrom,
  type RetrainDispatch,
  runDriftFlow,
} from '@mlactions/drift';
import {
  appendSummary,
  booleanInput,
  checkLogin,
  choiceInput,
  createClient,
  dispatchRepository,
  dispatchWorkflow,
  eventInfo,
  linesInput,
  listInput,
  numberInput,
  onlyWith,
  requiredInput,
  requiredLines,
  runMain,
  storeAccessInputs,
  stringInput,
  tokenIdentity,
  upsertIssue,
} from '@mlactions/github';
import { openStoreWithAccess, s3DataReader } from '@mlactions/store';

await runMain(async ({ workspace }) => {
  const checkName = stringInput('check-name') ?? 'drift';
  const work = join(
    process.env.RUNNER_TEMP ?? workspace,
    `mlactions-drift-${checkName.replace(/[^\w.-]/g, '_')}`,
  );
  const token = requiredInput('token');
  const storeUri = stringInput('store');
  const endpoint = stringInput('endpoint');
  onlyWith('store', ['version', 'alias', 'reference-profile']);
  const model = stringInput('name');
  const workflow = stringInput('dispatch-workflow');
  const eventType = stringInput('dispatch-event-type');
  const dispatchRef = stringInput('dispatch-ref');

  const request = driftRequestFrom(
    {
      reference: linesInput('reference'),
      current: requiredLines('current'),
      store: storeUri,
      name: model,
      version: stringInput('version'),
      alias: stringInput('alias'),
      referenceProfile: stringInput('reference-profile'),
      columnTypes: linesInput('column-types'),
      includeColumns: listInput('include-columns'),
      excludeColumns: listInput('exclude-columns'),
      delimiter: stringInput('delimiter'),
      stattest: stringInput('stattest'),
      threshold: numberInput('threshold'),
      columns: linesInput('columns'),
      shareThreshold: numberInput('share-threshold'),
      keyFeatures: listInput('key-features'),
      correction: stringInput('correction'),
      saveReferenceProfile: stringInput('save-reference-profile'),
    },
    {
      cwd: workspace,
      remote: s3DataReader(endpoint ? { endpoint } : {}),
      referenceStore: {
        open: (uri) => openStoreWithAccess(uri, storeAccessInputs('read'), { cwd: workspace }),
        out: join(work, 'reference'),
      },
    },
  );

  const client = createClient({ token, log: core.info });
  const event = eventInfo();
  const repository = { owner: event.owner, repo: event.repo };
  const author = stringInput('comment-author');
  const commentAuthor = author === undefined ? undefined : checkLogin(author);
  const result = await runDriftFlow(
    {
      checkName,
      title: stringInput('title') ?? 'Drift report',
      issueTitle: stringInput('issue-title') ?? 'Data drift detected',
      labels: listInput('issue-label'),
      assignees: listInput('assignees'),
      closeOnRecovery: booleanInput('close-on-recovery', false),
      ...(workflow || eventType
        ? {
            dispatch: {
              ...(workflow ? { workflow } : {}),
              ...(dispatchRef ? { ref: dispatchRef } : {}),
              ...(eventType ? { eventType } : {}),
              ...(model ? { model } : {}),
              when: choiceInput<RetrainDispatch['when']>('dispatch-on', ['opened', 'drift'], 'opened'),
            },
          }
        : {}),
      outputDir: resolve(workspace, stringInput('output-dir') ?? join(work, 'report')),
      historyChecks: historyChecksFrom(numberInput('history-checks')),
      quality: await qualityRulesFrom(
        linesInput('quality-rules'),
        stringInput('quality-rules-file') === undefined
          ? undefined
          : resolve(workspace, stringInput('quality-rules-file')!),
      ),
    },
    {
      event,
      writeSummary: appendSummary,
      trackIssue: async ({ problem, body, recoveredBody, closeOnRecovery, issueBody, ...issue }) =>
        upsertIssue(
          client,
          { ...repository, ...issue, author: await tokenIdentity(client, commentAuthor) },
          { problem, body, recoveredBody, closeOnRecovery, ...(issueBody ? { issueBody } : {}) },
        ),
      warn: (message) => core.warning(message),
      now: () => new Date(),
      dispatchWorkflow: (request) => dispatchWorkflow(client, { ...repository, ...request }),
      dispatchRepository: (request) => dispatchRepository(client, { ...repository, ...request }),
      check: () => checkDriftFiles(request),
    },
  );

  const { report, issue } = result;
  const drifted = report.features.filter((f) => f.drifted).map((f) => f.name);
  core.info(
    `${report.drifted ? 'Drift detected' : 'No drift'}: ${report.driftedCount} of ${report.testedCount} tested columns drifted.`,
  );
  if (result.check.storeReference) {
    const { name, version, file } = result.check.storeReference;
    core.info(`Reference: ${file} of ${name} ${version}.`);
  }
  if (issue.url) core.info(`Issue ${issue.action}: ${issue.url}`);
  for (const what of result.dispatched) core.info(`Retraining dispatched: ${what}`);
  core.setOutput('drifted', report.drifted);
  core.setOutput('drift-share', report.driftShare);
  core.setOutput('drifted-columns', JSON.stringify(drifted));
  core.setOutput('issue-action', issue.action);
  if (issue.number !== undefined) core.setOutput('issue-number', issue.number);
  if (issue.url) core.setOutput('issue-url', issue.url);
  core.setOutput('dispatched', result.dispatched.length > 0);
  core.setOutput('report', result.reportPath);
  core.setOutput('markdown', result.markdownPath);
  if (result.check.savedReferenceProfile)
    core.setOutput('reference-profile', result.check.savedReferenceProfile);
  const failedQuality = result.quality.results.filter((r) => !r.passed).map((r) => `${r.rule}: ${r.found}`);
  core.setOutput('quality-passed', result.quality.passed);
  core.setOutput('failed-quality-rules', failedQuality.join('\n'));
  if (failedQuality.length > 0 && booleanInput('fail-on-quality', true)) {
    core.setFailed(`Data-quality rules failed:\n${failedQuality.join('\n')}`);
  }
  if (report.drifted && booleanInput('fail-on-drift', false)) {
    core.setFailed(`Drift detected in ${drifted.length} column(s); see the report and the issue.`);
  }
});
