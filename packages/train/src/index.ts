// The jit runner (mlactions runner jit) is `@mlactions/train/jit`: the train action does not load octokit.
export {
  checkpointKey,
  checkpointLookup,
  dataKey,
  keyPart,
  RESUME_POLICIES,
  type ResumePolicy,
} from './cache-keys.ts';
export { actionsCache, type CacheService, cacheServiceVariable, dataFingerprint } from './cache-service.ts';
export { SAVE_POLICIES, type SavePolicy, shouldSaveCheckpoint } from './checkpoint.ts';
export { commandEnv, parseEnvLines } from './command-env.ts';
export { discoverGpus, type GpuDiscovery } from './gpu-discovery.ts';
export { type GpuSummary, type GpuSummaryEntry, gpuSummary } from './gpu-summary.ts';
export { type GpuInfo, parseCudaVersion, parseDiscovery, parseReading } from './nvidia-smi.ts';
export { type Params, parseParams } from './params.ts';
export { type SupervisedResult, type SuperviseOptions, supervise } from './supervise.ts';
export { startTelemetry, type TelemetryRecord } from './telemetry.ts';
export {
  PENDING_CHECKPOINT_STATE,
  runTrainFlow,
  savePendingCheckpoint,
  type TrainCacheInputs,
  type TrainDeps,
  type TrainInputs,
  type TrainLog,
  type TrainResult,
} from './train-flow.ts';
export {
  type FailureWords,
  type TrainPlace,
  trainFailure,
  trainRequest,
} from './train-request.ts';
export { visibleGpus } from './visible-devices.ts';
