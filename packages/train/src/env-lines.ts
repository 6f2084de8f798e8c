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
        `\`env\`, line ${i + 1}: "${line}" is not NAME=value (a name is letters, digits and _)`,
      );
    }
    env[name] = line.slice(eq + 1);
  }
  return env;
}
