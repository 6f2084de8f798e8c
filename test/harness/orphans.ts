// GitHub's runner gives every step's process RUNNER_TRACKING_ID and, when the job ends, kills each
// process that still carries it ("Terminate orphan process"). The harness does the same after an
// action's steps, so nothing an action started outlives its test, and says what it had to kill.
import { readdirSync, readFileSync } from 'node:fs';

/** The processes whose environment holds `RUNNER_TRACKING_ID=<id>`, as `pid command line`. */
export function trackedProcesses(id: string, procDir = '/proc'): { pid: number; command: string }[] {
  const needle = `\0RUNNER_TRACKING_ID=${id}\0`;
  const found: { pid: number; command: string }[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return found; // no /proc (not Linux): nothing can be tracked
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!`\0${readFileSync(`${procDir}/${name}/environ`, 'latin1')}`.includes(needle)) continue;
      const command = readFileSync(`${procDir}/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // A zombie has an empty command line and is already dead; its parent reaps it.
      if (command !== '') found.push({ pid: Number(name), command });
    } catch {
      // gone while we looked, or another user's
    }
  }
  return found;
}

/** Kills (SIGKILL) every process carrying the tracking id and returns their descriptions. */
export function endOrphans(id: string): string[] {
  return trackedProcesses(id).map(({ pid, command }) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // it ended on its own meanwhile
    }
    return `${pid} ${command}`;
  });
}
