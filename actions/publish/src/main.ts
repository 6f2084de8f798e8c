import * as core from '@actions/core';
import { context } from '@actions/github';
import { globFiles } from '@mlactions/core';
import {
  appendSummary,
  booleanInput,
  choiceInput,
  createClient,
  dispatchRepository,
  linesInput,
  requiredInput,
  requiredLines,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import {
  type Bump,
  openStoreWithAccess,
  promotionEvent,
  provenanceFromEnv,
  runPublishFlow,
} from '@mlactions/store';

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('write'), {
    cwd: workspace,
    warn: core.warning,
  });
  const files = requiredLines('files');
  const version = stringInput('version');
  const bump = choiceInput<Bump>('bump', ['major', 'minor', 'patch']);
  const metricsFile = stringInput('metrics-file');
  const paramsFile = stringInput('params-file');
  const alias = stringInput('alias');
  // Opt-in: a model-promoted repository_dispatch to this repository when the alias moves.
  const client = booleanInput('dispatch', false)
    ? createClient({ token: requiredInput('token'), log: core.info })
    : undefined;
  const result = await runPublishFlow(
    {
      name: requiredInput('name'),
      ...(version ? { version } : {}),
      ...(bump ? { bump } : {}),
      files,
      ...(metricsFile ? { metricsFile } : {}),
      ...(paramsFile ? { paramsFile } : {}),
      data: linesInput('data'),
      ...(alias ? { alias } : {}),
      cwd: workspace,
    },
    {
      store,
      log: core.info,
      writeSummary: appendSummary,
      provenance: provenanceFromEnv(process.env),
      serverUrl: context.serverUrl,
      glob: (pattern) => globFiles([pattern], workspace),
      ...(client
        ? { announce: (p) => dispatchRepository(client, { ...context.repo, ...promotionEvent(p) }) }
        : {}),
    },
  );

  core.info(result.line);
  core.setOutput('name', result.manifest.name);
  core.setOutput('version', result.manifest.version);
  core.setOutput('manifest', result.manifestLocation);
  core.setOutput('uploaded-bytes', result.uploadedBytes);
  core.setOutput('skipped-bytes', result.skippedBytes);
  if (result.promoted) core.setOutput('alias', result.promoted.alias);
});
