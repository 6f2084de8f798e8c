/**
 * What the runner gives an action but not a `run:` step: the action's inputs (INPUT_TOKEN is the
 * job's GitHub token), its saved state, and the runtime's tokens (cache and artifact service, OIDC).
 */
const RUNNER_INTERNAL =
  /^(INPUT_|STATE_)|^ACTIONS_(RUNTIME_TOKEN|RUNTIME_URL|RESULTS_URL|CACHE_URL|CACHE_SERVICE_V2|ID_TOKEN_REQUEST_TOKEN|ID_TOKEN_REQUEST_URL)$/;

/**
 * The environment a user command (a training script, a rollout or smoke-test command) sees: the
 * step's, without runner internals, plus `extra` (which wins). One rule for every verb that runs one.
 */
export function commandEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !RUNNER_INTERNAL.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}
