// Runs the bundled command as a user does, in a process of its own. spawnSync blocks the test's own
// timers, so the time limit here is what turns a hang into a failed test that shows the output.
import { execFile, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findNode24 } from '../../../test/harness/node24.ts';

export const BIN = fileURLToPath(new URL('../dist/mlactions.js', import.meta.url));

/**
 * The bundle runs under Node 24 whatever Node runs the tests (the AWS SDK warns on stderr under
 * Node 20, which the tests read).
 */
const NODE = findNode24();

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** `mlactions <args>`: its exit status, stdout and stderr. */
export function runCli(args: string[], options: CliOptions = {}): SpawnSyncReturns<string> {
  const run = spawnSync(NODE, [BIN, ...args], {
    ...options,
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  if (run.error)
    throw new Error(`mlactions ${args.join(' ')}: ${run.error.message}\n${run.stdout}\n${run.stderr}`);
  return run;
}

/** `mlactions <args>` without blocking, for tests whose servers live in this process. */
export function runCliAsync(
  args: string[],
  options: CliOptions = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [BIN, ...args],
      { ...options, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * `mlactions <args>` in a pseudo-terminal (util-linux `script`), with `input` typed into it; the
 * terminal's output (stdout and stderr together, as a user sees them) comes back as stdout.
 */
export function runCliInTerminal(args: string[], input: string): SpawnSyncReturns<string> {
  const command = [NODE, BIN, ...args].map(shellQuote).join(' ');
  const run = spawnSync('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  if (run.error)
    throw new Error(`mlactions ${args.join(' ')} in a terminal: ${run.error.message}\n${run.stdout}`);
  return run;
}

/** The environment without anything of GitHub Actions or a token, as on a developer's machine. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GITHUB_') && !key.startsWith('AWS_')) env[key] = value;
  }
  return { ...env, ...extra };
}
