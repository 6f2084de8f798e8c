import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '@mlactions/core';
import { groupAlive, killGroup, signalExitCode } from './process-group.ts';

export interface SuperviseOptions {
  /** Program and arguments. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Stop the command after this long (undefined or 0: never). */
  timeoutMs?: number;
  /** After SIGTERM, how long the command has to write a checkpoint and leave before SIGKILL. */
  graceMs: number;
  /** Aborting it (the job was cancelled) stops the command as a timeout does. */
  signal?: AbortSignal;
  /** Where the command's stdout goes: the caller's stdout (default) or its stderr. */
  stdout?: 'stdout' | 'stderr';
  /** Told when the command is asked to stop, and why. */
  onStopping?: (why: StopReason, graceMs: number) => void;
}

export type StopReason = 'timeout' | 'cancelled';

export interface SupervisedResult {
  /** The exit code; 128 + the signal's number when a signal ended it (as a shell reports it). */
  exitCode: number;
  signal: NodeJS.Signals | null;
  /** Set when the command was asked to stop. */
  stoppedBy?: StopReason;
  /** True when it was still running at the end of the grace period and was killed. */
  killed: boolean;
  durationMs: number;
}

/** How often the process group is checked for members once it was asked to stop. */
const POLL_MS = 50;

/**
 * Runs a command in its own process group with the caller's stdout and stderr (so its log streams
 * live, unbuffered). On a timeout or a cancellation the whole group gets SIGTERM, then the grace
 * period to checkpoint, then SIGKILL. After a stop it waits for every process of the group, not
 * only the shell: a shell without a trap dies on SIGTERM at once while the training process it
 * started is still writing its checkpoint.
 */
export function supervise(options: SuperviseOptions): Promise<SupervisedResult> {
  const [program, ...args] = options.argv;
  if (!program) throw new Error('supervise: empty argv');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', options.stdout === 'stderr' ? 2 : 'inherit', 'inherit'],
      detached: true,
    });
    let stoppedBy: StopReason | undefined;
    let killed = false;
    let stopping: Promise<void> | undefined;

    const stop = (why: StopReason) => {
      if (stoppedBy || child.pid === undefined) return;
      stoppedBy = why;
      options.onStopping?.(why, options.graceMs);
      const pgid = child.pid;
      killGroup(pgid, 'SIGTERM');
      stopping = (async () => {
        const deadline = Date.now() + options.graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await sleep(POLL_MS);
        if (groupAlive(pgid)) {
          killed = true;
          killGroup(pgid, 'SIGKILL');
        }
      })();
    };
    const timer =
      options.timeoutMs && options.timeoutMs > 0
        ? setTimeout(() => stop('timeout'), options.timeoutMs)
        : undefined;
    const onAbort = () => stop('cancelled');
    if (options.signal?.aborted) queueMicrotask(onAbort);
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const done = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        error.code === 'ENOENT'
          ? new UserError(`${program} was not found: install it on the runner or choose another \`shell\``)
          : error,
      );
    });
    child.on('exit', async (code, signal) => {
      done();
      // The group outlives its leader while the rest of it checkpoints; wait for it when stopping.
      if (stopping) await stopping;
      resolve({
        exitCode: code ?? (signal ? signalExitCode(signal) : 1),
        signal,
        ...(stoppedBy ? { stoppedBy } : {}),
        killed,
        durationMs: Date.now() - started,
      });
    });
  });
}
