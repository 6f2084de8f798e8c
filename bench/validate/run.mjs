// Benchmark of `validate` (not a test; CI runs nothing here). Makes a CSV of N rows × 20 features and a
// binary label, then measures, each in its own child process:
//   udsv      parsing the file into typed columns with udsv (the peer)
//   validate  the whole evaluation: stream, parse, run the model, score
//   session   onnxruntime's session.run alone over tensors preloaded from the file
// and prints validate's time as a ratio to each peer, plus validate's peak RSS.
//
//   node bench/validate/run.mjs [--rows 1000000] [--repeat 3]
//
// The model is bench/validate/mlp20.onnx (20 → 32 tanh → 2 softmax), made by
// scripts/reference/validate/make_fixtures.py. Data files are cached in the system temp folder.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '3' } },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const FEATURES = 20;

/** Writes the CSV: features uniform in [-3, 3] with six decimals, the label a linear rule of them. */
async function makeCsv(path, count) {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let seed = 1;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let text = `${Array.from({ length: FEATURES }, (_, j) => `f${j}`).join(',')},label\n`;
  for (let i = 0; i < count; i++) {
    let score = 0;
    for (let j = 0; j < FEATURES; j++) {
      const x = (random() * 2 - 1) * 3;
      score += x * ((j % 3) - 1);
      text += `${x.toFixed(6)},`;
    }
    text += score > 0 ? '1\n' : '0\n';
    if (text.length > 1 << 20) {
      if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
      text = '';
    }
  }
  await new Promise((resolve, reject) => out.end(text, (error) => (error ? reject(error) : resolve())));
  renameSync(partial, path);
}

/** Bundles tasks.ts; onnxruntime-node (native) stays outside, imported from where validate installs it. */
async function bundle() {
  const outfile = join(here, 'dist', 'tasks.mjs');
  const ort = createRequire(join(root, 'packages/validate/package.json')).resolve('onnxruntime-node');
  await esbuild.build({
    entryPoints: [join(here, 'tasks.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'onnxruntime-external',
        setup(build) {
          build.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: ort, external: true }));
        },
      },
    ],
  });
  return outfile;
}

function runTask(script, ...args) {
  const output = execFileSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, MLACTIONS_ROOT: root },
  });
  return JSON.parse(output.trim().split('\n').pop());
}

/** The fastest of `repeat` runs (the least disturbed by other work on the machine). */
function best(script, ...args) {
  const runs = Array.from({ length: repeat }, () => runTask(script, ...args));
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
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
const validate = best(script, 'validate', data, model);
if (udsv.rows !== rows || session.rows !== rows || validate.rows !== rows) {
  throw new Error(`row counts differ: udsv ${udsv.rows}, session ${session.rows}, validate ${validate.rows}`);
}

const f = (x, digits = 2) => x.toFixed(digits);
console.log(
  `validate benchmark: ${rows} rows × ${FEATURES} features, ${f(mb, 0)} MiB CSV, node ${process.version}, best of ${repeat}`,
);
console.log(`  udsv typed parse       ${f(udsv.seconds)} s   peak RSS ${f(udsv.maxRssMb, 0)} MB`);
console.log(`  session.run only       ${f(session.seconds)} s   peak RSS ${f(session.maxRssMb, 0)} MB`);
console.log(`  validate end to end    ${f(validate.seconds)} s   peak RSS ${f(validate.maxRssMb, 0)} MB`);
console.log(`  validate / udsv parse  ${f(validate.seconds / udsv.seconds)}   (goal ≤ 1.0)`);
console.log(`  validate / session.run ${f(validate.seconds / session.seconds)}`);
console.log(
  `  validate throughput    ${f(mb / validate.seconds, 0)} MiB/s, ${f(rows / validate.seconds / 1e6)} M rows/s`,
);
