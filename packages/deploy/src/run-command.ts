import { spawn } from 'node:child_process';

export interface CommandResult {
  /** The exit status; null when a signal ended the command. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs user commands; passed in so the flow's callers decide where their output goes. */
export type CommandRunner = (
  command: string,
  env: Record<string, string>,
  cwd: string,
) => Promise<CommandResult>;

/**
 * Runs a command as a workflow's `run:` step with `shell: bash` does (`bash -e -o pipefail`), its
 * output going straight to the job log.
 */
export const runBash: CommandRunner = (command, env, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal }));
  });

/** How a command's end reads in a reason: `exited with code 3`, `was ended by SIGTERM`. */
export function describeEnd(result: CommandResult): string {
  return result.exitCode !== null ? `exited with code ${result.exitCode}` : `was ended by ${result.signal}`;
}
