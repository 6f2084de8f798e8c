import * as core from '@actions/core';
import { appendSummary, requiredInput, runMain, storeAccessInputs, stringInput } from '@mlactions/github';
import { fetchRequestFrom, openStoreWithAccess, runFetchFlow } from '@mlactions/store';

await runMain(async ({ workspace }) => {
  const request = fetchRequestFrom(
    {
      name: stringInput('name'),
      version: stringInput('version'),
      alias: stringInput('alias'),
      path: stringInput('path'),
      ifMissing: stringInput('if-missing'),
    },
    { cwd: workspace },
  );
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('read'), {
    cwd: workspace,
    warn: core.warning,
  });
  const result = await runFetchFlow(request, { store, log: core.info, writeSummary: appendSummary });

  if (!result.found) {
    core.notice(result.line);
    core.setOutput('found', false);
    return;
  }
  core.info(result.line);
  core.setOutput('name', result.manifest.name);
  core.setOutput('version', result.manifest.version);
  core.setOutput('path', request.out);
  core.setOutput('bytes', result.bytes);
  core.setOutput('found', true);
  core.setOutput('deprecated', result.deprecated?.reason ?? '');
});
