/**
 * Train's settings as the fronts take them (the train action's inputs, `mlactions train`'s flags):
 * text, checked and turned into one request for runTrainFlow, so both fronts refuse and default the
 * same way. Names in messages are the inputs' (the flags are the same names with `--`).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { choiceSetting, nonNegativeSetting, requiredSetting, UserError } from '@mlactions/core';
import { keyPart, RESUME_POLICIES } from './cache-keys.ts';
import { SAVE_POLICIES } from './checkpoint.ts';
import { parseEnvLines } from './env-lines.ts';
import { parseParams } from './params.ts';
import type { TrainInputs, TrainResult } from './train-flow.ts';

export interface TrainSettingsText {
  command?: string | undefined;
  /** bash (the default), sh, pwsh, python, or a command line with {0} for the script file. */
  shell?: string | undefined;
  workingDirectory?: string | undefined;
  /** `NAME=value` lines for the command's environment, as one text (its line numbers name a mistake). */
  env?: string | undefined;
  requireGpu?: boolean | undefined;
  timeoutMinutes?: number | undefined;
  graceSeconds?: number | undefined;
  metricsFile?: string | undefined;
  modelFiles?: readonly string[] | undefined;
  /** Hyperparameters as YAML or JSON text. */
  params?: string | undefined;
  cache?: boolean | undefined;
  cacheKey?: string | undefined;
  dataPaths?: readonly string[] | undefined;
  dataFingerprint?: readonly string[] | undefined;
  checkpointDir?: string | undefined;
  resume?: string | undefined;
  saveCheckpoint?: string | undefined;
  checkpointIntervalMinutes?: number | undefined;
  telemetryIntervalSeconds?: number | undefined;
  outputDir?: string | undefined;
}

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

/** Train's request from its settings, or one error naming the setting and the fix. */
export function trainRequestFrom(text: TrainSettingsText, place: TrainPlace): TrainInputs {
  const key = text.cacheKey || 'train';
  const checkpointDir = text.checkpointDir || '.mlactions/checkpoints';
  if (isAbsolute(checkpointDir))
    throw new UserError(
      '`checkpoint-dir` must be relative to the workspace, so a cache saved on one runner restores on another',
    );
  return {
    command: requiredSetting('command', text.command, 'the training command to run'),
    shell: text.shell || 'bash',
    workingDirectory: resolve(place.workspace, text.workingDirectory || '.'),
    workspace: place.workspace,
    env: parseEnvLines(text.env),
    requireGpu: text.requireGpu ?? false,
    timeoutMs: nonNegativeSetting('timeout-minutes', text.timeoutMinutes, 0) * 60_000,
    graceMs: nonNegativeSetting('grace-seconds', text.graceSeconds, 30) * 1000,
    ...(text.metricsFile ? { metricsFile: text.metricsFile } : {}),
    modelFiles: [...(text.modelFiles ?? [])],
    params: parseParams(text.params),
    cache: {
      enabled: text.cache ?? true,
      key,
      dataPaths: [...(text.dataPaths ?? [])],
      fingerprintPaths: [...(text.dataFingerprint ?? [])],
      checkpointDir,
      resume: choiceSetting('resume', text.resume, RESUME_POLICIES) ?? 'rerun',
      save: choiceSetting('save-checkpoint', text.saveCheckpoint, SAVE_POLICIES) ?? 'failure',
      saveIntervalMs:
        nonNegativeSetting('checkpoint-interval-minutes', text.checkpointIntervalMinutes, 0) * 60_000,
    },
    telemetryIntervalMs:
      nonNegativeSetting('telemetry-interval-seconds', text.telemetryIntervalSeconds, 5) * 1000,
    outputDir: text.outputDir
      ? resolve(place.workspace, text.outputDir)
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
