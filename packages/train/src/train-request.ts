import { isAbsolute, join, resolve } from 'node:path';
import type { InputReader } from '@mlactions/core';
import { keyPart, RESUME_POLICIES, type ResumePolicy } from './cache-keys.ts';
import { SAVE_POLICIES, type SavePolicy } from './checkpoint.ts';
import { parseEnvLines } from './env-lines.ts';
import { parseParams } from './params.ts';
import type { TrainInputs, TrainResult } from './train-flow.ts';

/** Where a training run happens: what the runner (or the machine the CLI runs on) says. */
export interface TrainPlace {
  /** Absolute folder that cache paths, outputs and `working-directory` are relative to. */
  workspace: string;
  /** Absolute folder for the command's script file. */
  tempDir: string;
  /** Absolute folder that holds the output folder when `output-dir` is not given. */
  outputBase: string;
  runId: string;
  runAttempt: string;
}

/**
 * The train action's inputs, or the CLI's flags of the same names, as the flow's request: one
 * reading of them for both fronts, each mistake one error naming the input.
 */
export function trainRequest(inputs: InputReader, place: TrainPlace): TrainInputs {
  const key = inputs.string('cache-key') ?? 'train';
  const outputDir = inputs.string('output-dir');
  const metricsFile = inputs.string('metrics-file');
  const checkpointDir = inputs.string('checkpoint-dir') ?? '.mlactions/checkpoints';
  if (isAbsolute(checkpointDir))
    throw inputs.mistake(
      'checkpoint-dir',
      'must be relative to the workspace, so a cache saved on one runner restores on another',
    );
  return {
    command: inputs.required('command'),
    shell: inputs.string('shell') ?? 'bash',
    workingDirectory: resolve(place.workspace, inputs.string('working-directory') ?? '.'),
    workspace: place.workspace,
    env: parseEnvLines(inputs.string('env')),
    requireGpu: inputs.boolean('require-gpu', false),
    timeoutMs: inputs.nonNegative('timeout-minutes', 0) * 60_000,
    graceMs: inputs.nonNegative('grace-seconds', 30) * 1000,
    ...(metricsFile ? { metricsFile } : {}),
    modelFiles: inputs.lines('model-files'),
    params: parseParams(inputs.string('params')),
    cache: {
      enabled: inputs.boolean('cache', true),
      key,
      dataPaths: inputs.lines('data-paths'),
      fingerprintPaths: inputs.lines('data-fingerprint'),
      checkpointDir,
      resume: inputs.choice<ResumePolicy>('resume', RESUME_POLICIES, 'rerun'),
      save: inputs.choice<SavePolicy>('save-checkpoint', SAVE_POLICIES, 'failure'),
      saveIntervalMs: inputs.nonNegative('checkpoint-interval-minutes', 0) * 60_000,
    },
    telemetryIntervalMs: inputs.nonNegative('telemetry-interval-seconds', 5) * 1000,
    outputDir: outputDir
      ? resolve(place.workspace, outputDir)
      : join(place.outputBase, `mlactions-train-${keyPart(key)}`),
    tempDir: place.tempDir,
    runId: place.runId,
    runAttempt: place.runAttempt,
  };
}

/** How a front words a failed run: how to run it again, and what stopping it from outside was. */
export interface FailureWords {
  /** "Rerun the job", "Run it again". */
  again: string;
  /** "The job was cancelled", "Interrupted". */
  cancelled: string;
}

/** Why a training run failed, in one line; undefined when the command succeeded. */
export function trainFailure(
  result: TrainResult,
  request: TrainInputs,
  words: FailureWords,
): string | undefined {
  if (result.stoppedBy === 'timeout')
    return `The command timed out after ${request.timeoutMs / 60_000} minute(s). ${words.again} to resume from its checkpoint.`;
  if (result.stoppedBy === 'cancelled') return `${words.cancelled}; the command was stopped.`;
  if (result.exitCode !== 0) return `The training command failed with exit code ${result.exitCode}.`;
  return undefined;
}
