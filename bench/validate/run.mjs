// Benchmark of `validate` (not a test; CI runs nothing here). Makes a CSV of N rows × 20 features and a
// binary label, then measures, each in its own child process:
//   udsv      parsing the file into typed columns with udsv (the peer)
//   validate  the whole evaluation: stream, parse, run the model, score; once per --threads value
//             (worker threads parsing the CSV; 0: the calling thread alone)
//   session   onnxruntime's session.run alone over tensors preloaded from the file
// and prints validate's time as a ratio to each peer (wall time; beside it the ratio of CPU times, all
// the process's threads, which is steadier on a shared machine but adds up work done side by side),
// the throughput of 2 parsing threads over 1, and validate's peak RSS.
//
//   node bench/validate/run.mjs [--rows 1000000] [--repeat 3] [--threads 0,1,2]
//
// The model is bench/validate/mlp20.onnx (20 → 32 tanh → 2 softmax), made by
// scripts/reference/validate/make_fixtures.py. Data files are cached in the system temp folder.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededRandom, writeCsv } from '../lib/data.mjs';
import { bundleTasks, fastest, root, runTask } from '../lib/runner.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0,1,2' },
  },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const threadCounts = values.threads.split(',').map(Number);
const FEATURES = 20;

/** Writes the CSV: features uniform in [-3, 3] with six decimals, the label a linear rule of them. */
function makeCsv(path, count) {
  const random = seededRandom();
  const header = `${Array.from({ length: FEATURES }, (_, j) => `f${j}`).join(',')},label`;
  return writeCsv(path, header, count, () => {
    let line = '';
    let score = 0;
    for (let j = 0; j < FEATURES; j++) {
      const x = (random() * 2 - 1) * 3;
      score += x * ((j % 3) - 1);
      line += `${x.toFixed(6)},`;
    }
    return line + (score > 0 ? '1' : '0');
  });
}

/** Bundles tasks.ts; onnxruntime-node (native) stays outside, imported from where validate installs it. */
function bundle() {
  const ort = createRequire(join(root, 'packages/validate/package.json')).resolve('onnxruntime-node');
  return bundleTasks(here, {
    plugins: [
      {
        name: 'onnxruntime-external',
        setup(build) {
          build.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: ort, external: true }));
        },
      },
    ],
  });
}

/** The fastest of `repeat` runs (the least disturbed by other work on the machine). */
function best(script, ...args) {
  return fastest(Array.from({ length: repeat }, () => runTask(script, ...args)));
}

const data = join(tmpdir(), `mlactions-bench-validate-${rows}.csv`);
if (!existsSync(data)) {
  console.error(`making ${data} …`);
  await makeCsv(data, rows);
}
const model = join(here, 'mlp20.onnx');
const script = await bundle();
const mb = statSync(data).size / 2 ** 20;

const udsv = best(script, 'udsv', data);
const session = best(script, 'session', data, model);
const validates = new Map(
  threadCounts.map((threads) => [threads, best(script, 'validate', data, model, String(threads))]),
);
for (const run of [udsv, session, ...validates.values()]) {
  if (run.rows !== rows) throw new Error(`row counts differ: ${run.rows} rows read, ${rows} written`);
}

const f = (x, digits = 2) => x.toFixed(digits);
console.log(
  `validate benchmark: ${rows} rows × ${FEATURES} features, ${f(mb, 0)} MiB CSV, node ${process.version}, best of ${repeat}`,
);
console.log(
  `  udsv typed parse       ${f(udsv.seconds)} s   cpu ${f(udsv.cpuSeconds)} s   peak RSS ${f(udsv.maxRssMiB, 0)} MB`,
);
console.log(`  session.run only       ${f(session.seconds)} s   peak RSS ${f(session.maxRssMiB, 0)} MB`);
for (const [threads, validate] of validates) {
  // CPU time (all threads of the process, onnxruntime's included) is steadier than wall time on a
  // shared machine, but with worker threads it adds up work done side by side.
  console.log(
    `  validate, ${threads} parse threads ${f(validate.seconds)} s   cpu ${f(validate.cpuSeconds)} s   peak RSS ${f(validate.maxRssMiB, 0)} MB   ` +
      `validate / udsv ${f(validate.seconds / udsv.seconds)} (goal ≤ 0.3; cpu ${f(validate.cpuSeconds / udsv.cpuSeconds)})   / session.run ${f(validate.seconds / session.seconds)}   ` +
      `${f(mb / validate.seconds, 0)} MiB/s`,
  );
}
if (validates.has(1) && validates.has(2)) {
  console.log(
    `  throughput, 2 parse threads over 1: ${f(validates.get(1).seconds / validates.get(2).seconds)} (goal ≥ 1.6)`,
  );
}
