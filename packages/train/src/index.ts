// The train verb: a training command on a (GPU) runner, supervised, with telemetry, checkpoints and data kept in the cache.
// The jit runner (mlactions runner jit) is `@mlactions/train/jit`: the train action does not load octokit.
export { actionsCache, type CacheService } from './cache-service.ts';
export { PENDING_CHECKPOINT_STATE, runTrainFlow, savePendingCheckpoint } from './train-flow.ts';
export { trainFailure, trainRequestFrom } from './train-request.ts';
