import { isAbsolute, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@mlactions/core';
import {
  appendSummary,
  booleanInput,
  choiceInput,
  linesInput,
  numberInput,
  requiredInput,
  runMain,
  stringInput,
} from '@mlactions/github';
import {
  actionsCache,
  keyPart,
  PENDING_CHECKPOINT_STATE,
  parseEnvLines,
  parseParams,
  RESUME_POLICIES,
  type ResumePolicy,
  runTrainFlow,
  SAVE_POLICIES,
  type SavePolicy,
  savePendingCheckpoint,
} from '@mlactions/train';

function nonNegative(name: string, fallback: number): number {
  const value = numberInput(name, fallback);
  if (value < 0) throw new UserError(`input \`${name}\` must be 0 or more, got ${value}`);
  return value;
}

const log = {
  info: core.info,
  warning: (message: string) => core.warning(message),
  startGroup: core.startGroup,
  endGroup: core.endGroup,
};

const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();

// One bundle is both steps: the main step marks the state, so the post step knows it is the post.
const isPost = core.getState('isPost') === 'true';
if (!isPost) core.saveState('isPost', 'true');

await runMain(async () => {
  if (isPost) {
    await savePendingCheckpoint(core.getState(PENDING_CHECKPOINT_STATE), {
      cache: actionsCache(),
      log,
      workspace,
    });
    return;
  }
  const workingDirectory = resolve(workspace, stringInput('working-directory') ?? '.');
  const key = stringInput('cache-key') ?? 'train';
  const outputDir = stringInput('output-dir');
  const metricsFile = stringInput('metrics-file');
  const timeoutMinutes = nonNegative('timeout-minutes', 0);
  const tempDir = process.env.RUNNER_TEMP ?? join(workspace, '.mlactions', 'tmp');
  const checkpointDir = stringInput('checkpoint-dir') ?? '.mlactions/checkpoints';
  if (isAbsolute(checkpointDir))
    throw new UserError(
      'input `checkpoint-dir` must be relative to the workspace, so a cache saved on one runner restores on another',
    );

  // Cancelling a job sends SIGINT (then SIGTERM) to this process: stop the command the same way a
  // timeout does, so it can checkpoint, and save the checkpoint before the runner moves on.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => cancel.abort());

  const result = await runTrainFlow(
    {
      command: requiredInput('command'),
      shell: stringInput('shell') ?? 'bash',
      workingDirectory,
      workspace,
      env: parseEnvLines(stringInput('env')),
      requireGpu: booleanInput('require-gpu', false),
      timeoutMs: timeoutMinutes * 60_000,
      graceMs: nonNegative('grace-seconds', 30) * 1000,
      ...(metricsFile ? { metricsFile } : {}),
      modelFiles: linesInput('model-files'),
      params: parseParams(stringInput('params')),
      cache: {
        enabled: booleanInput('cache', true),
        key,
        dataPaths: linesInput('data-paths'),
        fingerprintPaths: linesInput('data-fingerprint'),
        checkpointDir,
        resume: choiceInput<ResumePolicy>('resume', RESUME_POLICIES, 'rerun'),
        save: choiceInput<SavePolicy>('save-checkpoint', SAVE_POLICIES, 'failure'),
        saveIntervalMs: nonNegative('checkpoint-interval-minutes', 0) * 60_000,
      },
      telemetryIntervalMs: nonNegative('telemetry-interval-seconds', 5) * 1000,
      outputDir: outputDir
        ? resolve(workspace, outputDir)
        : join(process.env.RUNNER_TEMP ?? join(workspace, '.mlactions'), `mlactions-train-${keyPart(key)}`),
      tempDir,
      runId: process.env.GITHUB_RUN_ID ?? 'local',
      runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
    },
    {
      env: process.env,
      cache: actionsCache(),
      log,
      writeSummary: appendSummary,
      saveState: core.saveState,
      signal: cancel.signal,
    },
  );

  core.setOutput('exit-code', result.exitCode);
  core.setOutput('timed-out', result.stoppedBy === 'timeout');
  core.setOutput('duration-seconds', result.durationSeconds);
  if (result.metricsFile) core.setOutput('metrics-file', result.metricsFile);
  core.setOutput('model-files', result.modelFiles.join('\n'));
  if (result.paramsFile) core.setOutput('params', result.paramsFile);
  core.setOutput('gpu-summary', JSON.stringify(result.gpu));
  core.setOutput('gpu-summary-file', result.gpuSummaryFile);
  if (result.gpuMetricsFile) core.setOutput('gpu-metrics-file', result.gpuMetricsFile);
  core.setOutput('gpu-count', result.gpu.count);
  core.setOutput('resumed', result.resumedFrom !== undefined);
  if (result.resumedFrom) core.setOutput('resumed-from', result.resumedFrom);
  core.setOutput('data-cache-hit', result.dataCacheHit);

  const failure =
    result.stoppedBy === 'timeout'
      ? `The command timed out after ${timeoutMinutes} minute(s). Rerun the job to resume from its checkpoint.`
      : result.stoppedBy === 'cancelled'
        ? 'The job was cancelled; the command was stopped.'
        : result.exitCode !== 0
          ? `The training command failed with exit code ${result.exitCode}.`
          : undefined;
  for (const problem of result.problems) core.error(problem);
  if (failure) core.setFailed(failure);
  else if (result.problems.length > 0) process.exitCode = 1;
  // The step's status carries the command's own exit code, as a `run:` step's does.
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
});
