import * as core from '@actions/core';
import { context } from '@actions/github';
import {
  appendSummary,
  booleanInput,
  createClient,
  dispatchRepository,
  linesInput,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import {
  openStoreWithAccess,
  promotionEvent,
  provenanceFromEnv,
  publishRequestFrom,
  runPublishFlow,
} from '@mlactions/store';

await runMain(async ({ workspace }) => {
  const request = publishRequestFrom(
    {
      name: stringInput('name'),
      version: stringInput('version'),
      bump: stringInput('bump'),
      files: linesInput('files'),
      metricsFile: stringInput('metrics-file'),
      paramsFile: stringInput('params-file'),
      data: linesInput('data'),
      alias: stringInput('alias'),
    },
    { cwd: workspace },
  );
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('write'), {
    cwd: workspace,
    warn: core.warning,
  });
  // Opt-in: a model-promoted repository_dispatch to this repository when the alias moves.
  const client = booleanInput('dispatch', false)
    ? createClient({ token: requiredInput('token'), log: core.info })
    : undefined;
  const result = await runPublishFlow(request, {
    store,
    log: core.info,
    writeSummary: appendSummary,
    provenance: provenanceFromEnv(process.env),
    serverUrl: context.serverUrl,
    ...(client
      ? { announce: (p) => dispatchRepository(client, { ...context.repo, ...promotionEvent(p) }) }
      : {}),
  });

  core.info(result.line);
  core.setOutput('name', result.manifest.name);
  core.setOutput('version', result.manifest.version);
  core.setOutput('manifest', result.manifestLocation);
  core.setOutput('uploaded-bytes', result.uploadedBytes);
  core.setOutput('skipped-bytes', result.skippedBytes);
  if (result.promoted) core.setOutput('alias', result.promoted.alias);
});
