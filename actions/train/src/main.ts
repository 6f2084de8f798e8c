import { join } from 'node:path';
import * as core from '@actions/core';
import {
  appendSummary,
  booleanInput,
  linesInput,
  numberInput,
  runMain,
  stringInput,
} from '@mlactions/github';
import {
  actionsCache,
  PENDING_CHECKPOINT_STATE,
  runTrainFlow,
  savePendingCheckpoint,
  trainFailure,
  trainRequestFrom,
} from '@mlactions/train';

const log = {
  info: core.info,
  warning: (message: string) => core.warning(message),
  startGroup: core.startGroup,
  endGroup: core.endGroup,
};

// One bundle is both steps: the main step marks the state, so the post step knows it is the post.
const isPost = core.getState('isPost') === 'true';
if (!isPost) core.saveState('isPost', 'true');

await runMain(async ({ workspace }) => {
  if (isPost) {
    await savePendingCheckpoint(core.getState(PENDING_CHECKPOINT_STATE), {
      cache: actionsCache(),
      log,
      workspace,
    });
    return;
  }
  const request = trainRequestFrom(
    {
      command: stringInput('command'),
      shell: stringInput('shell'),
      workingDirectory: stringInput('working-directory'),
      env: stringInput('env'),
      requireGpu: booleanInput('require-gpu', false),
      timeoutMinutes: numberInput('timeout-minutes'),
      graceSeconds: numberInput('grace-seconds'),
      metricsFile: stringInput('metrics-file'),
      modelFiles: linesInput('model-files'),
      params: stringInput('params'),
      cache: booleanInput('cache', true),
      cacheKey: stringInput('cache-key'),
      dataPaths: linesInput('data-paths'),
      dataFingerprint: linesInput('data-fingerprint'),
      checkpointDir: stringInput('checkpoint-dir'),
      resume: stringInput('resume'),
      saveCheckpoint: stringInput('save-checkpoint'),
      checkpointIntervalMinutes: numberInput('checkpoint-interval-minutes'),
      telemetryIntervalSeconds: numberInput('telemetry-interval-seconds'),
      outputDir: stringInput('output-dir'),
    },
    {
      workspace,
      tempDir: process.env.RUNNER_TEMP ?? join(workspace, '.mlactions', 'tmp'),
      outputBase: process.env.RUNNER_TEMP ?? join(workspace, '.mlactions'),
      runId: process.env.GITHUB_RUN_ID ?? 'local',
      runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
    },
  );

  // Cancelling a job sends SIGINT (then SIGTERM) to this process: stop the command the same way a
  // timeout does, so it can checkpoint, and save the checkpoint before the runner moves on.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => cancel.abort());

  const result = await runTrainFlow(request, {
    env: process.env,
    cache: actionsCache(),
    log,
    writeSummary: appendSummary,
    saveState: core.saveState,
    signal: cancel.signal,
  });

  core.setOutput('exit-code', result.exitCode);
  core.setOutput('timed-out', result.stoppedBy === 'timeout');
  core.setOutput('duration-seconds', result.durationSeconds);
  if (result.metricsFile) core.setOutput('metrics-file', result.metricsFile);
  core.setOutput('model-files', result.modelFiles.join('\n'));
  if (result.paramsFile) core.setOutput('params', result.paramsFile);
  core.setOutput('gpu-summary', JSON.stringify(result.gpu));
  core.setOutput('gpu-summary-file', result.gpuSummaryFile);
  core.setOutput('cost-file', result.costFile);
  if (result.gpuMetricsFile) core.setOutput('gpu-metrics-file', result.gpuMetricsFile);
  core.setOutput('gpu-count', result.gpu.count);
  core.setOutput('resumed', result.resumedFrom !== undefined);
  if (result.resumedFrom) core.setOutput('resumed-from', result.resumedFrom);
  core.setOutput('data-cache-hit', result.dataCacheHit);

  const failure = trainFailure(result, request, {
    again: 'Rerun the job',
    cancelled: 'The job was cancelled',
  });
  for (const problem of result.problems) core.error(problem);
  if (failure) core.setFailed(failure);
  else if (result.problems.length > 0) process.exitCode = 1;
  // The step's status carries the command's own exit code, as a `run:` step's does.
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
});
