// The parent side of a benchmark: bundles its tasks.ts, runs one task at a time in a fresh child process
// (so that its time and peak RSS are its own) and picks the best and worst of the repeats.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWorkerPrograms } from '../../scripts/build.mjs';

/** The repository root, handed to tasks as MLACTIONS_ROOT to load peers from a package's dependencies. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles `<dir>/tasks.ts` to `<dir>/dist/tasks.mjs` for Node (with a `require` for CommonJS
 * dependencies) and returns the bundle's path. `external` and `plugins` go to esbuild as they are.
 */
export async function bundleTasks(dir, { external = [], plugins = [] } = {}) {
  const outfile = join(dir, 'dist', 'tasks.mjs');
  // The worker programs the tasks start are bundled from the sources as they are now.
  await buildWorkerPrograms();
  await esbuild.build({
    entryPoints: [join(dir, 'tasks.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external,
    plugins,
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return outfile;
}

/** Runs `node <script> ...args` to its end and returns the JSON of the last line it printed. */
export function runTask(script, ...args) {
  const output = execFileSync(process.execPath, ['--no-warnings', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, MLACTIONS_ROOT: root },
  });
  return JSON.parse(output.trim().split('\n').pop());
}

/** The run with the fewest seconds (the least disturbed by other work on the machine). */
export function fastest(runs) {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/** The least value of one field over the runs (fields can be best in different runs). */
export function least(runs, field) {
  return Math.min(...runs.map((run) => run[field]));
}

/** The largest peak RSS over the runs, in MiB. */
export function peakRss(runs) {
  return Math.max(...runs.map((run) => run.maxRssMiB));
}
