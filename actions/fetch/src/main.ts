import { resolve } from 'node:path';
import * as core from '@actions/core';
import { createClient, requiredInput, runMain, stringInput } from '@mlactions/github';
import { openStoreWithAccess, runFetchFlow, type VersionRef } from '@mlactions/store';

await runMain(async () => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const endpoint = stringInput('endpoint');
  const token = stringInput('token');
  const store = openStoreWithAccess(
    requiredInput('store'),
    {
      ...(endpoint ? { endpoint } : {}),
      ...(token ? { token } : {}),
      githubClient: (token) => createClient({ token, log: core.info }),
      tokenSources: 'set the `token` input (by default the job token, which needs `contents: read`)',
    },
    { cwd: workspace },
  );
  const version = stringInput('version');
  const alias = stringInput('alias');
  // Both or neither is refused by the store with a message naming them.
  const ref = { version, alias } as VersionRef;
  const out = resolve(workspace, stringInput('path') ?? 'model');
  const result = await runFetchFlow(
    { name: requiredInput('name'), ...ref, out },
    {
      store,
      log: core.info,
      writeSummary: async (markdown) => {
        await core.summary.addRaw(markdown, true).write();
      },
    },
  );

  core.info(result.line);
  core.setOutput('name', result.manifest.name);
  core.setOutput('version', result.manifest.version);
  core.setOutput('path', out);
  core.setOutput('bytes', result.bytes);
});
