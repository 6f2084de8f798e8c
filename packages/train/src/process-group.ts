import { constants } from 'node:os';

/** Signals a process group (a detached child's pid is its group's id), ignoring one already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Whether any process of the group is still there. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    // EPERM: a member exists but belongs to someone else (it changed user); it is still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A shell's way of reporting death by a signal: 128 + the signal's number (143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
