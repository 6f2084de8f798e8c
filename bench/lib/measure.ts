// The child side of a benchmark: each task runs in a process of its own and prints one JSON line that
// bench/lib/runner.mjs reads back.

/** What a task reports beyond its time and memory (row counts, digests, checks against its peer). */
export type Extra = Record<string, unknown>;

/**
 * Times `run` and prints one JSON line: `{ seconds, cpuSeconds, maxRssMiB, ...extra }`. CPU seconds
 * (all threads of the process) sit beside wall seconds: they are steadier on a shared machine. The
 * peak RSS is the whole process's, so anything prepared before `run` counts there too.
 */
export async function measure(run: () => Promise<Extra | undefined>): Promise<void> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const extra = await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB, ...extra })}\n`,
  );
}

/** Runs the task named on the command line (`tasks.mjs <task> ...`) from a table of tasks. */
export async function runNamedTask(tasks: Record<string, () => Promise<void>>): Promise<void> {
  const name = process.argv[2] ?? '';
  const task = tasks[name];
  if (!task) throw new Error(`unknown task ${name}; one of ${Object.keys(tasks).join(', ')}`);
  await task();
}
