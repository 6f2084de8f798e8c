import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { deployRequestFrom, runBash, runDeployFlow } from '@mlactions/deploy';
import {
  appendSummary,
  createClient,
  eventInfo,
  linesInput,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import { openStoreWithAccess } from '@mlactions/store';

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const event = eventInfo();
  const token = requiredInput('token');
  const client = createClient({ token, log: core.info });
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('write', client), {
    cwd: workspace,
  });
  // On workflow_run, GITHUB_SHA is the default branch's head, not the commit the triggering run built.
  const sha =
    stringInput('sha') ?? (context.payload.workflow_run?.head_sha as string | undefined) ?? event.sha;
  const inputs = deployRequestFrom(
    {
      name: stringInput('name'),
      version: stringInput('version'),
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
