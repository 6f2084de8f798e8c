// Benchmark of the artifact store on S3 (not a test; CI runs nothing here). Makes a file of random
// bytes (1 GiB by default), starts the local S3 server in its own process, then measures, each run in
// a fresh process, alternating with its peer:
//   publish  store.publish of the file to a fresh prefix (sha256 pass, then multipart upload)
//            vs a plain @aws-sdk/lib-storage Upload of the same file (same part size and parallelism)
//   fetch    store.fetch (download, sha256 verification, temporary file, rename)
//            vs a plain GetObject streamed to a file
//   hash     the store's file hashing vs `sha256sum` on the same file
// and prints each as a throughput ratio to its peer (best of --repeat runs), plus the peak RSS of the
// publish and fetch processes.
//
//   node bench/store/run.mjs [--mib 1024] [--repeat 3]
//
// Goals: publish ≥ 0.9 of a plain Upload, hashing ≥ 0.8 of sha256sum, peak RSS < 250 MB.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleTasks, least, peakRss, runTask } from '../lib/runner.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { mib: { type: 'string', default: '1024' }, repeat: { type: 'string', default: '3' } },
});
const mib = Number(values.mib);
const repeat = Number(values.repeat);

/** Random bytes, written once and kept in the system temp folder between runs. */
async function makeFile(path, size) {
  if (existsSync(path) && statSync(path).size === size * 2 ** 20) return;
  const out = createWriteStream(path);
  for (let i = 0; i < size; i += 1) {
    if (!out.write(randomBytes(2 ** 20))) await once(out, 'drain');
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

// s3rver is loaded at run time by the S3 server harness.
const tasks = await bundleTasks(here, { external: ['s3rver'] });
const task = (...args) => runTask(tasks, ...args);

const work = mkdtempSync(join(tmpdir(), 'mlactions-bench-store-'));
const file = join(tmpdir(), `mlactions-bench-store-${mib}MiB.bin`);
await makeFile(file, mib);
const bytes = statSync(file).size;

const server = spawn(process.execPath, [tasks, 'server'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const { endpoint } = JSON.parse(line);

const best = (runs) => least(runs, 'seconds');
const results = { plainUpload: [], publish: [], plainDownload: [], fetch: [], sha256sum: [], hash: [] };
try {
  for (let i = 0; i < repeat; i += 1) {
    results.plainUpload.push(task('plain-upload', endpoint, file, `plain/${i}`));
    results.publish.push(task('publish', endpoint, file, `run-${i}`));
    results.plainDownload.push(task('plain-download', endpoint, `plain/${i}`, join(work, 'plain.bin')));
    results.fetch.push(task('fetch', endpoint, `run-${i}`, join(work, `fetched-${i}`)));
    rmSync(join(work, `fetched-${i}`), { recursive: true, force: true });
    rmSync(join(work, 'plain.bin'), { force: true });
    const start = performance.now();
    const sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    results.sha256sum.push({ seconds: (performance.now() - start) / 1000, sha256: sum });
    results.hash.push(task('hash', file));
  }
} finally {
  server.kill('SIGTERM');
  await once(server, 'exit');
  rmSync(work, { recursive: true, force: true });
}

const digests = new Set([...results.publish, ...results.hash, ...results.sha256sum].map((r) => r.sha256));
if (digests.size !== 1) throw new Error(`digests disagree: ${[...digests].join(', ')}`);

const rate = (seconds) => `${(bytes / 2 ** 20 / seconds).toFixed(0)} MiB/s`;
const row = (label, ours, peer, peerLabel) =>
  `${label.padEnd(8)} ${rate(best(ours)).padStart(10)}  vs ${peerLabel.padEnd(22)} ${rate(best(peer)).padStart(10)}` +
  `  ratio ${(best(peer) / best(ours)).toFixed(2)}`;
console.log(`file: ${mib} MiB, best of ${repeat} runs, local S3 server (s3rver) in its own process`);
console.log(row('publish', results.publish, results.plainUpload, 'lib-storage Upload'));
console.log(row('fetch', results.fetch, results.plainDownload, 'GetObject to a file'));
console.log(row('hash', results.hash, results.sha256sum, 'sha256sum'));
console.log(
  `peak RSS: publish ${peakRss(results.publish).toFixed(0)} MiB, fetch ${peakRss(results.fetch).toFixed(0)} MiB ` +
    `(plain Upload ${peakRss(results.plainUpload).toFixed(0)} MiB)`,
);
