import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** Signals a process group (a detached child's pid is its group's id), ignoring one already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Whether a live (not zombie) process of the group is in this /proc/<pid>/stat line. */
export function liveMemberOf(stat: string, pgid: number): boolean {
  // The command name may hold spaces and parentheses: the fields that follow it start after the last ')'.
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
}

/**
 * Whether any process of the group is still running. On Linux, /proc tells running processes from
 * zombies: a training process whose shell died first is re-parented to PID 1, and a container's
 * PID 1 may reap it late, so the kill(2) probe alone would wait out the grace period for a corpse.
 */
export function groupAlive(pgid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (e) {
      // EPERM: a member exists but belongs to someone else (it changed user); it is still alive.
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    if (liveMemberOf(stat, pgid)) return true;
  }
  return false;
}

/** A shell's way of reporting death by a signal: 128 + the signal's number (143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
