import { resolve } from 'node:path';
import * as core from '@actions/core';
import {
  appendSummary,
  choiceInput,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import { openStoreWithAccess, runFetchFlow, versionRef } from '@mlactions/store';

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('read'), {
    cwd: workspace,
    warn: core.warning,
  });
  const ref = versionRef({ version: stringInput('version'), alias: stringInput('alias') });
  const out = resolve(workspace, stringInput('path') ?? 'model');
  const name = requiredInput('name');
  const ifMissing = choiceInput<'error' | 'skip'>('if-missing', ['error', 'skip'], 'error');
  // Only an alias that was never set is a first run; any failure to read it still fails the step.
  if (
    ifMissing === 'skip' &&
    ref.alias !== undefined &&
    (await store.aliasHistory(name, ref.alias)).length === 0
  ) {
    core.notice(`Alias ${ref.alias} of ${name} is not set in ${store.uri} yet: nothing was fetched.`);
    core.setOutput('found', false);
    return;
  }
  const result = await runFetchFlow(
    { name, ...ref, out },
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
  core.setOutput('found', true);
  core.setOutput('deprecated', result.deprecated?.reason ?? '');
});
