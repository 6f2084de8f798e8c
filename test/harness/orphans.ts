// GitHub's runner gives every step's process RUNNER_TRACKING_ID and, when the job ends, kills each
// process that still carries it ("Terminate orphan process"). The harness does the same after an
// action's steps, so nothing an action started outlives its test, and says what it had to kill.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The processes (not this one's children) whose environment holds `<name>=<value>`, with their command lines. */
export function trackedProcesses(
  name: string,
  value: string,
  procDir = '/proc',
): { pid: number; command: string }[] {
  const needle = `\0${name}=${value}\0`;
  const found: { pid: number; command: string }[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return found; // no /proc (not Linux): nothing can be tracked
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      if (!`\0${readFileSync(`${procDir}/${pid}/environ`, 'latin1')}`.includes(needle)) continue;
      // This process's own children (a test runner's workers) are its business, not orphans.
      if (Number(procStat(Number(pid), procDir)?.[1]) === process.pid) continue;
      const command = readFileSync(`${procDir}/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // A zombie has an empty command line and is already dead; its parent reaps it.
      if (command !== '') found.push({ pid: Number(pid), command });
    } catch {
      // gone while we looked, or another user's
    }
  }
  return found;
}

/**
 * Gives the processes carrying `<name>=<value>` up to `graceMs` to end on their own (one that is
 * exiting is not left behind), then kills (SIGKILL) the rest and returns them as `pid command line`
 * once they are dead.
 */
export async function endTracked(name: string, value: string, graceMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let found = trackedProcesses(name, value);
  while (found.length > 0 && Date.now() < deadline) {
    await sleep(100);
    found = trackedProcesses(name, value);
  }
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // it ended on its own meanwhile
    }
  }
  // A signal is delivered when the process next runs: on a busy machine it can still be running for
  // a moment after kill() returns.
  const killedBy = Date.now() + 10_000;
  while (found.some(({ pid }) => isRunning(pid)) && Date.now() < killedBy) await sleep(20);
  return found.map(({ pid, command }) => `${pid} ${command}`);
}

/**
 * The fields of /proc/<pid>/stat after the command name (state, parent pid, …), or undefined when
 * the process is gone. The name is in parentheses and may hold spaces and parentheses itself.
 */
export function procStat(pid: number, procDir = '/proc'): string[] | undefined {
  try {
    const stat = readFileSync(`${procDir}/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Whether a process exists and is not a zombie (dead, waiting for its parent to reap it). */
function isRunning(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z';
}
