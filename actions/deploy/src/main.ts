import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { deployRequestFrom, runBash, runDeployFlow } from '@mlactions/deploy';
import {
  appendSummary,
  booleanInput,
  createClient,
  dispatchRepository,
  eventInfo,
  linesInput,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import { openStoreWithAccess, promotedVersion, promotionEvent } from '@mlactions/store';

await runMain(async ({ workspace }) => {
  const event = eventInfo();
  const token = requiredInput('token');
  const client = createClient({ token, log: core.info });
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('write', client), {
    cwd: workspace,
    warn: core.warning,
  });
  const name = requiredInput('name');
  // Started by a model-promoted repository_dispatch: its payload's version, checked, unless one is given.
  const version =
    stringInput('version') ??
    promotedVersion(
      { name: event.eventName, action: context.payload.action, payload: context.payload.client_payload },
      name,
    );
  // On workflow_run, GITHUB_SHA is the default branch's head, not the commit the triggering run built.
  const sha =
    stringInput('sha') ?? (context.payload.workflow_run?.head_sha as string | undefined) ?? event.sha;
  const inputs = deployRequestFrom(
    {
      name,
      version,
      environment: stringInput('environment'),
      alias: stringInput('alias'),
      copyTo: stringInput('copy-to'),
      command: stringInput('command'),
      smokeTest: stringInput('smoke-test'),
      environmentUrl: stringInput('environment-url'),
      requiredContexts: linesInput('required-contexts'),
      endpoint: stringInput('endpoint'),
    },
    { sha, cwd: workspace, workDir: join(process.env.RUNNER_TEMP ?? tmpdir(), 'mlactions-deploy') },
  );

  const result = await runDeployFlow(inputs, {
    github: { client, repo: { owner: event.owner, repo: event.repo } },
    store,
    run: { id: context.runId, url: event.runUrl },
    provenance: { gitSha: sha, gitRef: event.ref, runUrl: event.runUrl, actor: context.actor },
    runCommand: runBash,
    env: process.env,
    log: core.info,
    ...(booleanInput('dispatch', false)
      ? {
          announce: (p) =>
            dispatchRepository(client, { owner: event.owner, repo: event.repo, ...promotionEvent(p) }),
        }
      : {}),
  });

  await appendSummary(result.summary);
  core.setOutput('version', result.version);
  core.setOutput('previous-version', result.previousVersion ?? '');
  core.setOutput('deployment-id', result.deploymentId);
  core.setOutput('result', result.outcome);
  if (result.modelDir) core.setOutput('model-dir', result.modelDir);
  if (result.manifestPath) core.setOutput('manifest', result.manifestPath);
  if (result.outcome === 'failed') core.setFailed(result.reason ?? 'The deploy failed.');
});
