import { UserError } from '@mlactions/core';

/**
 * The `env` input: `NAME=value` lines (the value may hold `=`; blank lines and `#` comments are
 * skipped). Names follow the shell's rule so that every one can be read from the command.
 */
export function parseEnvLines(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [i, raw] of (text ?? '').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UserError(
        `input \`env\`, line ${i + 1}: "${line}" is not NAME=value (a name is letters, digits and _)`,
      );
    }
    env[name] = line.slice(eq + 1);
  }
  return env;
}

/**
 * What the runner gives an action but not a `run:` step: the action's inputs and the runtime's
 * tokens. The training command sees what a `run:` step would, plus what it asked for.
 */
const RUNNER_INTERNAL =
  /^(INPUT_|STATE_)|^ACTIONS_(RUNTIME_TOKEN|RUNTIME_URL|RESULTS_URL|CACHE_URL|CACHE_SERVICE_V2|ID_TOKEN_REQUEST_TOKEN|ID_TOKEN_REQUEST_URL)$/;

/** The command's environment: the step's, without runner internals, plus `extra` (which wins). */
export function commandEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !RUNNER_INTERNAL.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}
