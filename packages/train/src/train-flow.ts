import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { commandEnv, globFiles, type Metric, readMetricRun, UserError } from '@mlactions/core';
import {
  checkpointKey,
  checkpointLookup,
  dataKey,
  type KeyContext,
  type ResumePolicy,
} from './cache-keys.ts';
import type { CacheService } from './cache-service.ts';
import { dataFingerprint } from './cache-service.ts';
import { folderStamp, type SavePolicy, shouldSaveCheckpoint } from './checkpoint.ts';
import { discoverGpus, type GpuDiscovery } from './gpu-discovery.ts';
import { type GpuSummary, gpuSummary } from './gpu-summary.ts';
import type { Params } from './params.ts';
import { type RunUse, runCostMetrics } from './run-cost.ts';
import { argvFor, shellCommand } from './shell.ts';
import {
  costSection,
  gpuSection,
  metricsSection,
  outcomeLine,
  telemetrySection,
} from './summary-markdown.ts';
import { type SupervisedResult, supervise } from './supervise.ts';
import { startTelemetry, type TelemetryRecord } from './telemetry.ts';

export interface TrainCacheInputs {
  /** False turns the cache off (no restore, no save). */
  enabled: boolean;
  /** Names this job's entries (which model, which configuration). */
  key: string;
  /** Dataset paths (relative to the workspace) restored before and saved after the command. */
  dataPaths: string[];
  /** Files whose contents identify the data version (default: the data paths). */
  fingerprintPaths: string[];
  /** The checkpoint folder, relative to the workspace. */
  checkpointDir: string;
  resume: ResumePolicy;
  save: SavePolicy;
  /** While the command runs, save a changed checkpoint folder this often (0: only at the end). */
  saveIntervalMs: number;
}

export interface TrainInputs {
  command: string;
  shell: string;
  /** Absolute folder the command runs in. */
  workingDirectory: string;
  /** Absolute GITHUB_WORKSPACE: cache paths and outputs are relative to it. */
  workspace: string;
  /** Extra environment for the command (the `env` input). */
  env: Record<string, string>;
  requireGpu: boolean;
  /** Stop the command after this long (0: never). */
  timeoutMs: number;
  graceMs: number;
  /** The command's metrics file, relative to the working directory. */
  metricsFile?: string;
  /** Globs (relative to the working directory) of the model files to hand on. */
  modelFiles: string[];
  params?: Params;
  cache: TrainCacheInputs;
  /** Telemetry sample interval (0 turns telemetry off). */
  telemetryIntervalMs: number;
  /** Absolute folder for gpu.json, gpu-metrics.csv, params.json. */
  outputDir: string;
  /** Absolute folder for the command's script file. */
  tempDir: string;
  runId: string;
  runAttempt: string;
}

export interface TrainLog {
  info(message: string): void;
  warning(message: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

export interface TrainDeps {
  /** The step's environment, which the command inherits (less the runner's internals). */
  env: NodeJS.ProcessEnv;
  cache: CacheService;
  log: TrainLog;
  writeSummary(markdown: string): Promise<void>;
  /** Keeps what the post step needs should this step be cut short (the job was cancelled). */
  saveState(name: string, value: string): void;
  /** Aborted when the job is cancelled: the command is stopped as on a timeout. */
  signal?: AbortSignal;
  /** The nvidia-smi command (default: `nvidia-smi` on PATH). */
  nvidiaSmi?: string;
  /** Where the command's stdout goes: the CLI keeps its own stdout for the summary. */
  commandStdout?: 'stdout' | 'stderr';
  now?: () => number;
}

export interface TrainResult {
  exitCode: number;
  succeeded: boolean;
  stoppedBy?: 'timeout' | 'cancelled';
  durationSeconds: number;
  gpu: GpuSummary;
  gpuSummaryFile: string;
  /** cost.json: the run's GPU-hours, energy, peak GPU memory and wall time as `cost.*` metrics. */
  costFile: string;
  /** The telemetry history (CSV), when GPUs were sampled. */
  gpuMetricsFile?: string;
  paramsFile?: string;
  /** Absolute path of the command's metrics file, when it wrote one. */
  metricsFile?: string;
  /** Model files, relative to the workspace. */
  modelFiles: string[];
  /** The checkpoint key restored before the command. */
  resumedFrom?: string;
  dataCacheHit: boolean;
  /** The checkpoint keys saved (periodically and at the end). */
  checkpointsSaved: string[];
  /** Problems the user must fix that did not stop the flow (an unreadable metrics file). */
  problems: string[];
}

/** The state key through which an interrupted main step hands its checkpoint to the post step. */
export const PENDING_CHECKPOINT_STATE = 'pending-checkpoint';

interface PendingCheckpoint {
  paths: string[];
  key: string;
}

/** Restores the data and the checkpoint; says what it did, or why it could not (`unavailable`). */
async function restore(inputs: TrainInputs, deps: TrainDeps, keys: KeyContext) {
  const { cache } = inputs;
  const unavailable = cache.enabled ? deps.cache.unavailable() : 'off';
  if (unavailable) {
    if (cache.enabled)
      deps.log.warning(`Cache: ${unavailable}. Data and checkpoints are not cached; training starts afresh.`);
    return { available: false, unavailable, dataHit: false, resumedFrom: undefined };
  }
  let dataHit = false;
  if (cache.dataPaths.length > 0) {
    const key = dataKey(keys);
    dataHit = (await deps.cache.restore(cache.dataPaths, key, [])) === key;
    deps.log.info(dataHit ? `Data restored from the cache (${key}).` : `No cached data for ${key}.`);
  }
  const lookup = checkpointLookup(keys, cache.resume);
  const resumedFrom = lookup
    ? await deps.cache.restore([cache.checkpointDir], lookup.key, lookup.restoreKeys)
    : undefined;
  if (resumedFrom) deps.log.info(`Checkpoint restored from ${resumedFrom}: the command resumes from it.`);
  return { available: true, unavailable: undefined, dataHit, resumedFrom };
}

/** Saves the checkpoint folder every `intervalMs` while it changes; never two saves at once. */
function periodicSaves(inputs: TrainInputs, deps: TrainDeps, keys: KeyContext, now: () => number) {
  const saved: string[] = [];
  let lastStamp: string | undefined;
  let running: Promise<void> | undefined;
  const dir = resolve(inputs.workspace, inputs.cache.checkpointDir);
  const saveIfChanged = async () => {
    const stamp = await folderStamp(dir);
    if (stamp === undefined || stamp === lastStamp) return;
    const key = checkpointKey(keys, now());
    if (await deps.cache.save([inputs.cache.checkpointDir], key)) {
      saved.push(key);
      lastStamp = stamp;
      deps.log.info(`Checkpoint saved to the cache as ${key}.`);
    }
  };
  const tick = () => {
    running ??= saveIfChanged().finally(() => {
      running = undefined;
    });
  };
  const timer = inputs.cache.saveIntervalMs > 0 ? setInterval(tick, inputs.cache.saveIntervalMs) : undefined;
  return {
    saved,
    /** Stops the timer and, where asked, saves what changed since the last save. */
    async finish(saveNow: boolean) {
      if (timer) clearInterval(timer);
      await running;
      if (saveNow) await saveIfChanged();
    },
  };
}

/** The model files the globs match (relative to the workspace). */
async function findModelFiles(
  patterns: readonly string[],
  cwd: string,
  workspace: string,
): Promise<string[]> {
  if (patterns.length === 0) return [];
  return (await globFiles(patterns, cwd)).map((file) => relative(workspace, file)).sort();
}

/** Reads the metrics file as the report action will, so a malformed one is caught here. */
async function readMetrics(path: string): Promise<{ metrics?: Metric[]; problem?: string }> {
  try {
    return { metrics: await readMetricRun(path) };
  } catch (error) {
    if (error instanceof UserError) return { problem: error.message };
    throw error;
  }
}

/** Finds the GPUs; fails early when one is required and there is none. */
async function findGpus(inputs: TrainInputs, deps: TrainDeps): Promise<GpuDiscovery> {
  const discovery = await discoverGpus({
    env: deps.env,
    ...(deps.nvidiaSmi ? { nvidiaSmi: deps.nvidiaSmi } : {}),
  });
  if (discovery.gpus.length === 0 && inputs.requireGpu) {
    throw new UserError(
      `No GPU found: ${discovery.reason}. \`require-gpu: true\` needs a runner with an NVIDIA GPU and driver: check the job's \`runs-on\` labels and that nvidia-smi works on the runner.`,
    );
  }
  const visible = discovery.gpus.map((g) => `${g.index}: ${g.name}`).join(', ');
  deps.log.info(discovery.gpus.length > 0 ? `GPUs: ${visible}` : `No GPU: ${discovery.reason}.`);
  return discovery;
}

/** The output folders, and the params file the command reads (when params were given). */
async function prepareFolders(inputs: TrainInputs): Promise<string | undefined> {
  await mkdir(inputs.outputDir, { recursive: true });
  await mkdir(inputs.tempDir, { recursive: true });
  if (!inputs.params) return undefined;
  const paramsFile = join(inputs.outputDir, 'params.json');
  await writeFile(paramsFile, `${JSON.stringify(inputs.params, null, 2)}\n`);
  return paramsFile;
}

/** The cache keys of this run (its data's fingerprint among them), and what they restored. */
async function restoreCaches(inputs: TrainInputs, deps: TrainDeps) {
  const fingerprint = await dataFingerprint(
    inputs.cache.fingerprintPaths.length > 0 ? inputs.cache.fingerprintPaths : inputs.cache.dataPaths,
    inputs.workspace,
  );
  const keys: KeyContext = {
    name: inputs.cache.key,
    fingerprint,
    runId: inputs.runId,
    runAttempt: inputs.runAttempt,
  };
  return { keys, restored: await restore(inputs, deps, keys) };
}

/** Where the command finds its checkpoint folder, metrics file, params and GPUs: MLACTIONS_* variables. */
function trainingEnv(
  inputs: TrainInputs,
  deps: TrainDeps,
  found: { checkpointDir: string; resumed: boolean; gpus: number; metricsFile?: string; paramsFile?: string },
): Record<string, string> {
  return commandEnv(deps.env, {
    ...inputs.env,
    MLACTIONS_CHECKPOINT_DIR: found.checkpointDir,
    MLACTIONS_RESUMED: found.resumed ? 'true' : 'false',
    MLACTIONS_GPU_COUNT: String(found.gpus),
    ...(found.metricsFile ? { MLACTIONS_METRICS_FILE: found.metricsFile } : {}),
    ...(found.paramsFile
      ? { MLACTIONS_PARAMS_FILE: found.paramsFile, MLACTIONS_PARAMS: JSON.stringify(inputs.params) }
      : {}),
  });
}

/** Runs the command from a script file, under supervision (timeout, cancellation) and GPU telemetry. */
async function runCommand(
  inputs: TrainInputs,
  deps: TrainDeps,
  env: Record<string, string>,
  discovery: GpuDiscovery,
) {
  const shell = shellCommand(inputs.shell);
  const script = join(inputs.tempDir, `mlactions-train-${randomBytes(6).toString('hex')}${shell.extension}`);
  await writeFile(script, inputs.command);
  const gpuMetricsFile = join(inputs.outputDir, 'gpu-metrics.csv');
  const telemetry =
    discovery.gpus.length > 0 && inputs.telemetryIntervalMs > 0
      ? startTelemetry({
          env: deps.env,
          gpus: discovery.gpus,
          intervalMs: inputs.telemetryIntervalMs,
          csvPath: gpuMetricsFile,
          ...(deps.nvidiaSmi ? { nvidiaSmi: deps.nvidiaSmi } : {}),
        })
      : undefined;
  let result: SupervisedResult;
  deps.log.startGroup('Training command');
  try {
    result = await supervise({
      argv: argvFor(shell, script),
      cwd: inputs.workingDirectory,
      env,
      timeoutMs: inputs.timeoutMs,
      graceMs: inputs.graceMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.commandStdout ? { stdout: deps.commandStdout } : {}),
      onStopping: (why, graceMs) =>
        deps.log.info(
          `${why === 'timeout' ? 'Timed out' : 'Cancelled'}: sending SIGTERM to the command; it has ${graceMs / 1000} s to checkpoint before SIGKILL.`,
        ),
    });
  } finally {
    deps.log.endGroup();
    await rm(script, { force: true });
  }
  const record: TelemetryRecord | undefined = await telemetry?.stop();
  return { result, record, gpuMetricsFile };
}

/**
 * Saves the data the command fetched. Data a command left after failing on its own may be a broken
 * download; under its immutable key it would be restored forever. After a success, or a stop from
 * outside, it is kept.
 */
async function saveData(
  inputs: TrainInputs,
  deps: TrainDeps,
  keys: KeyContext,
  restored: Awaited<ReturnType<typeof restore>>,
  result: SupervisedResult,
) {
  const dataWhole = result.exitCode === 0 || result.stoppedBy !== undefined;
  if (!restored.available || inputs.cache.dataPaths.length === 0 || restored.dataHit || !dataWhole) return;
  const present = inputs.cache.dataPaths.filter((p) => existsSync(resolve(inputs.workspace, p)));
  if (present.length > 0 && (await deps.cache.save(inputs.cache.dataPaths, dataKey(keys))))
    deps.log.info(`Data saved to the cache as ${dataKey(keys)}.`);
}

/** What the command left: its metrics and model files, and what is missing or malformed. */
async function collectOutputs(
  inputs: TrainInputs,
  deps: TrainDeps,
  metricsFile: string | undefined,
  succeeded: boolean,
) {
  const problems: string[] = [];
  let metrics: Metric[] | undefined;
  const wroteMetrics = metricsFile !== undefined && existsSync(metricsFile);
  if (metricsFile && !wroteMetrics) {
    const message = `The command did not write its metrics file ${inputs.metricsFile}.`;
    if (succeeded) problems.push(`${message} Write it there, or fix \`metrics-file\`.`);
    else deps.log.warning(message);
  } else if (metricsFile) {
    const read = await readMetrics(metricsFile);
    if (read.problem) problems.push(read.problem);
    metrics = read.metrics;
  }
  const modelFiles = await findModelFiles(inputs.modelFiles, inputs.workingDirectory, inputs.workspace);
  if (inputs.modelFiles.length > 0 && modelFiles.length === 0 && succeeded)
    problems.push(
      `No model file matches \`model-files\` (${inputs.modelFiles.join(', ')}) after the command.`,
    );
  return { problems, metrics, wroteMetrics, modelFiles };
}

/** The cache's part of the summary: what was resumed, restored and saved, or why there is no cache. */
function cacheLine(
  inputs: TrainInputs,
  restored: Awaited<ReturnType<typeof restore>>,
  saved: readonly string[],
) {
  if (!restored.available) return `Cache: ${restored.unavailable}.`;
  return [
    restored.resumedFrom
      ? `Resumed from checkpoint ${restored.resumedFrom}.`
      : 'No checkpoint to resume from.',
    ...(inputs.cache.dataPaths.length > 0
      ? [restored.dataHit ? 'Data from the cache.' : 'Data not cached yet.']
      : []),
    ...(saved.length > 0 ? [`Checkpoint saved (${saved.at(-1)}).`] : []),
  ].join(' ');
}

/** The checkpoint folder made and the command's environment: where it finds what it reads and writes. */
async function prepareCommand(
  inputs: TrainInputs,
  deps: TrainDeps,
  found: { gpus: number; resumed: boolean; paramsFile: string | undefined },
) {
  const checkpointDir = resolve(inputs.workspace, inputs.cache.checkpointDir);
  await mkdir(checkpointDir, { recursive: true });
  const metricsFile = inputs.metricsFile ? resolve(inputs.workingDirectory, inputs.metricsFile) : undefined;
  const env = trainingEnv(inputs, deps, {
    checkpointDir,
    resumed: found.resumed,
    gpus: found.gpus,
    ...(metricsFile ? { metricsFile } : {}),
    ...(found.paramsFile ? { paramsFile: found.paramsFile } : {}),
  });
  return { env, metricsFile };
}

/**
 * Checkpoints saved while the command runs, and the one the post step saves should this step be
 * killed first (a cancelled job); nothing is saved where there is no cache or `save-checkpoint` is never.
 */
function startCheckpointSaves(
  inputs: TrainInputs,
  deps: TrainDeps,
  keys: KeyContext,
  restored: Awaited<ReturnType<typeof restore>>,
  now: () => number,
) {
  const saving = restored.available && inputs.cache.save !== 'never';
  if (saving) {
    const pending: PendingCheckpoint = {
      paths: [inputs.cache.checkpointDir],
      key: checkpointKey(keys, now()),
    };
    deps.saveState(PENDING_CHECKPOINT_STATE, JSON.stringify(pending));
  }
  const periodic = periodicSaves(
    { ...inputs, cache: { ...inputs.cache, saveIntervalMs: saving ? inputs.cache.saveIntervalMs : 0 } },
    deps,
    keys,
    now,
  );
  return {
    saved: periodic.saved,
    /** The last save, as the run's outcome and `save-checkpoint` ask; then no save is pending. */
    finish: async (succeeded: boolean) => {
      await periodic.finish(saving && shouldSaveCheckpoint(inputs.cache.save, succeeded));
      if (saving) deps.saveState(PENDING_CHECKPOINT_STATE, '');
    },
  };
}

/** gpu.json and cost.json in the output folder: the GPUs found and measured, what the run cost. */
async function writeUseFiles(
  inputs: TrainInputs,
  discovery: GpuDiscovery,
  result: SupervisedResult,
  record: TelemetryRecord | undefined,
) {
  const gpu = gpuSummary(discovery, record);
  const gpuSummaryFile = join(inputs.outputDir, 'gpu.json');
  await writeFile(gpuSummaryFile, `${JSON.stringify(gpu, null, 2)}\n`);
  const cost = runCostMetrics(runUse(result.durationMs / 1000, discovery.gpus.length, record));
  const costFile = join(inputs.outputDir, 'cost.json');
  await writeFile(costFile, `${JSON.stringify(cost, null, 2)}\n`);
  return { gpu, gpuSummaryFile, cost, costFile };
}

/** The job summary's training section. */
function summaryOf(
  inputs: TrainInputs,
  run: { result: SupervisedResult; record: TelemetryRecord | undefined; discovery: GpuDiscovery },
  cache: string,
  cost: ReturnType<typeof runCostMetrics>['cost'],
  metrics: Metric[] | undefined,
): string {
  const { result, record, discovery } = run;
  return [
    '## Training',
    '',
    outcomeLine(result, inputs.timeoutMs, inputs.graceMs),
    '',
    cache,
    '',
    gpuSection(discovery),
    ...(record ? ['', telemetrySection(record)] : []),
    '',
    costSection(cost),
    ...(metrics && inputs.metricsFile ? ['', metricsSection(inputs.metricsFile, metrics)] : []),
    '',
  ].join('\n');
}

/**
 * The train action: find the GPUs (failing early when one is required and there is none), restore
 * data and checkpoint from the cache, run the command with GPU telemetry, a timeout and the job's
 * cancellation, save data and checkpoint, and write the job summary and output files.
 */
export async function runTrainFlow(inputs: TrainInputs, deps: TrainDeps): Promise<TrainResult> {
  const discovery = await findGpus(inputs, deps);
  const paramsFile = await prepareFolders(inputs);
  const { keys, restored } = await restoreCaches(inputs, deps);
  const { env, metricsFile } = await prepareCommand(inputs, deps, {
    gpus: discovery.gpus.length,
    resumed: restored.resumedFrom !== undefined,
    paramsFile,
  });
  const checkpoints = startCheckpointSaves(inputs, deps, keys, restored, deps.now ?? Date.now);

  const { result, record, gpuMetricsFile } = await runCommand(inputs, deps, env, discovery);
  const succeeded = result.exitCode === 0 && !result.stoppedBy;
  // Save what resumes a rerun before anything else can fail.
  await checkpoints.finish(succeeded);
  await saveData(inputs, deps, keys, restored, result);

  const { gpu, gpuSummaryFile, cost, costFile } = await writeUseFiles(inputs, discovery, result, record);
  const outputs = await collectOutputs(inputs, deps, metricsFile, succeeded);
  await deps.writeSummary(
    summaryOf(
      inputs,
      { result, record, discovery },
      cacheLine(inputs, restored, checkpoints.saved),
      cost.cost,
      outputs.metrics,
    ),
  );
  return {
    exitCode: result.exitCode,
    succeeded,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    durationSeconds: result.durationMs / 1000,
    gpu,
    gpuSummaryFile,
    costFile,
    ...(record ? { gpuMetricsFile } : {}),
    ...(paramsFile ? { paramsFile } : {}),
    ...(outputs.wroteMetrics ? { metricsFile } : {}),
    modelFiles: outputs.modelFiles,
    ...(restored.resumedFrom ? { resumedFrom: restored.resumedFrom } : {}),
    dataCacheHit: restored.dataHit,
    checkpointsSaved: checkpoints.saved,
    problems: outputs.problems,
  };
}

/** What the run used: its GPUs' energy summed and their peak memory, where telemetry measured them. */
function runUse(wallSeconds: number, gpus: number, record: TelemetryRecord | undefined): RunUse {
  const sampled = record !== undefined && record.ticks > 0;
  const peaks = (record?.gpus ?? []).flatMap((gpu) =>
    gpu.stats.memoryUsedMiB.max === null ? [] : [gpu.stats.memoryUsedMiB.max],
  );
  return {
    wallSeconds,
    gpus,
    ...(sampled ? { energyJoules: record.gpus.reduce((sum, gpu) => sum + gpu.energyJoules, 0) } : {}),
    ...(peaks.length > 0 ? { peakMemoryMiB: Math.max(...peaks) } : {}),
  };
}

/**
 * The post step: when the main step was cut short (the job was cancelled and the runner killed it),
 * saves the checkpoint it left pending. Returns the key saved, if any.
 */
export async function savePendingCheckpoint(
  state: string,
  deps: { cache: CacheService; log: TrainLog; workspace: string },
): Promise<string | undefined> {
  if (state.trim() === '') return undefined;
  const pending = JSON.parse(state) as PendingCheckpoint;
  if (deps.cache.unavailable()) return undefined;
  const dir = pending.paths[0];
  if (!dir || (await folderStamp(resolve(deps.workspace, dir))) === undefined) {
    deps.log.info('The interrupted command left no checkpoint to save.');
    return undefined;
  }
  if (!(await deps.cache.save(pending.paths, pending.key))) return undefined;
  deps.log.info(`Checkpoint of the interrupted command saved to the cache as ${pending.key}.`);
  return pending.key;
}
