/**
 * SIGINT (Ctrl-C) and SIGTERM (a runner cancelling a job, a supervisor stopping a service) end a run
 * early. The run's one AbortSignal reaches every store and data operation, which stops and removes
 * what it had started (temporary files, staging folders, spools, multipart uploads) as it unwinds;
 * the process then exits as a shell reports a death by that signal.
 */
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

export type StopSignal = keyof typeof SIGNAL_NUMBERS;

export const STOP_SIGNALS = Object.keys(SIGNAL_NUMBERS) as StopSignal[];

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
export const exitCodeOf = (signal: StopSignal): number => 128 + SIGNAL_NUMBERS[signal];

/** The abort reason of an interrupted run. */
export class Interrupted extends Error {
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal}`);
    this.name = 'Interrupted';
  }
}

/** The signal that interrupted the run behind `signal`, if one did. */
export function interruptOf(signal: AbortSignal | undefined): StopSignal | undefined {
  return signal?.aborted && signal.reason instanceof Interrupted ? signal.reason.signal : undefined;
}

/**
 * How long a verb has, once interrupted, to unwind before the process exits anyway: every store and
 * data operation stops at once, so only a call that cannot be aborted (a GitHub API request) waits.
 */
const GRACE_MS = 2_000;

export interface StopSignals {
  signal: AbortSignal;
  /**
   * Lets the run unwind for up to `ms` before the process exits anyway: a verb that stops a child of
   * its own (train: SIGTERM, then its grace period for a checkpoint) needs longer than GRACE_MS.
   */
  allowUnwind(ms: number): void;
}

/**
 * Makes SIGINT and SIGTERM abort the returned signal (the run's cleanup registry: operations add
 * their undo to it as abort listeners or finally blocks). A second signal, or a run still unwinding
 * after GRACE_MS (or what allowUnwind granted), exits at once.
 */
export function abortOnStopSignals(exit: (code: number) => void = process.exit): StopSignals {
  const controller = new AbortController();
  let unwindMs = GRACE_MS;
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (controller.signal.aborted) exit(exitCodeOf(name));
      controller.abort(new Interrupted(name));
      setTimeout(() => exit(exitCodeOf(name)), unwindMs).unref();
    });
  }
  return {
    signal: controller.signal,
    allowUnwind: (ms) => {
      unwindMs = Math.max(unwindMs, ms);
    },
  };
}
