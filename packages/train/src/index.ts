// The train verb: a training command on a (GPU) runner, supervised, with telemetry, checkpoints and data kept in the cache.
// The jit runner (mlactions runner jit) is `@mlactions/train/jit`: the train action does not load octokit.
export { keyPart, RESUME_POLICIES, type ResumePolicy } from './cache-keys.ts';
export { actionsCache } from './cache-service.ts';
export { SAVE_POLICIES, type SavePolicy } from './checkpoint.ts';
export { parseEnvLines } from './env-lines.ts';
export { parseParams } from './params.ts';
export { PENDING_CHECKPOINT_STATE, runTrainFlow, savePendingCheckpoint } from './train-flow.ts';
