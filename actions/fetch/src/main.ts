import { resolve } from 'node:path';
import * as core from '@actions/core';
import { appendSummary, requiredInput, runMain, storeAccessInputs, stringInput } from '@mlactions/github';
import { openStoreWithAccess, runFetchFlow, versionRef } from '@mlactions/store';

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('read'), { cwd: workspace });
  const ref = versionRef({ version: stringInput('version'), alias: stringInput('alias') });
  const out = resolve(workspace, stringInput('path') ?? 'model');
  const result = await runFetchFlow(
    { name: requiredInput('name'), ...ref, out },
    {
      store,
      log: core.info,
      writeSummary: appendSummary,
    },
  );

  core.info(result.line);
  core.setOutput('name', result.manifest.name);
  core.setOutput('version', result.manifest.version);
  core.setOutput('path', out);
  core.setOutput('bytes', result.bytes);
});
