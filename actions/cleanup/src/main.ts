import * as core from '@actions/core';
import {
  appendSummary,
  booleanInput,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
} from '@mlactions/github';
import { cleanupRequestFrom, openStoreWithAccess, provenanceFromEnv, runCleanupFlow } from '@mlactions/store';

await runMain(async ({ workspace }) => {
  const request = cleanupRequestFrom({
    name: stringInput('name'),
    keep: stringInput('keep'),
    gc: booleanInput('gc', true),
    dryRun: booleanInput('dry-run', false),
  });
  const store = openStoreWithAccess(requiredInput('store'), storeAccessInputs('write'), {
    cwd: workspace,
    warn: core.warning,
  });
  const result = await runCleanupFlow(request, {
    store,
    writeSummary: appendSummary,
    provenance: provenanceFromEnv(process.env),
  });

  for (const line of result.lines) core.info(line);
  core.setOutput('deleted', (result.retained?.removed ?? []).join('\n'));
  core.setOutput('freed-bytes', result.collected?.bytes ?? 0);
});
