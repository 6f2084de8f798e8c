// Benchmark of drift profiling (not a test; CI runs nothing here). Makes CSV files of 10 numeric and
// 2 categorical columns at each size, then measures, each in its own child process:
//   udsv     parsing the file into typed columns with udsv (the peer)
//   profile  profiling the file as the drift check does (inference, counts, sketches, bins), once per
//            --threads value (worker threads that parse the CSV and hold the columns' accumulators;
//            0: the calling thread alone)
// and prints profiling time as a ratio to udsv (goal <= 0.3; wall time, and CPU time of all the
// process's threads, which is steadier on a shared machine but adds up work done side by side),
// rows per second, the throughput of 2 threads over 1 (goal >= 1.6), and the peak RSS of
// profiling at each size (goal < 300 MB and flat from 1M to 10M rows).
//
//   node bench/drift/run.mjs [--sizes 1000000,10000000] [--repeat 3] [--threads 0,1,2]
//
// Times are the best of the repeats; RSS the largest. Data files are cached in the system temp folder.
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededRandom, writeCsv } from '../lib/data.mjs';
import { bundleTasks, least, peakRss, runTask } from '../lib/runner.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    repeat: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0,1,2' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);
const threadCounts = values.threads.split(',').map(Number);

const COLORS = ['red', 'green', 'blue', 'yellow', 'black'];
const CITIES = Array.from({ length: 50 }, (_, i) => `city_${i}`);

/** Writes the CSV: ten numeric columns of assorted scales and formats, two categorical ones. */
function makeCsv(path, count) {
  const random = seededRandom();
  const normal = () => random() + random() + random() - 1.5;
  return writeCsv(
    path,
    'f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,color,city',
    count,
    () =>
      `${(normal() * 10).toFixed(4)},${(normal() * 1000 + 500).toFixed(2)},${Math.floor(random() * 100)},` +
      `${random().toFixed(6)},${(normal() * 0.01).toFixed(6)},${Math.floor(random() * 100000)},` +
      `${(normal() * 3 - 7).toFixed(3)},${(random() * 1e6).toFixed(1)},${normal().toFixed(5)},` +
      `${(normal() * 50).toFixed(2)},${COLORS[Math.floor(random() * 5)]},${CITIES[Math.floor(random() * random() * 50)]}`,
  );
}

const tasks = await bundleTasks(here);
console.log(`node ${process.version}, best of ${repeat}`);
const results = [];
for (const rows of sizes) {
  const file = join(tmpdir(), `mlactions-drift-bench-${rows}.csv`);
  if (!existsSync(file)) await makeCsv(file, rows);
  const megabytes = statSync(file).size / 1e6;
  const peers = [];
  const ours = new Map(threadCounts.map((threads) => [threads, []]));
  for (let i = 0; i < repeat; i++) {
    peers.push(runTask(tasks, 'udsv', file));
    for (const [threads, runs] of ours) runs.push(runTask(tasks, 'profile', file, String(threads)));
    for (const run of [peers[i], ...[...ours.values()].map((runs) => runs[i])])
      if (run.rows !== rows) throw new Error(`row counts differ: ${run.rows} rows read, ${rows} written`);
  }
  const udsv = least(peers, 'seconds');
  const udsvCpu = least(peers, 'cpuSeconds');
  const udsvRss = peakRss(peers);
  console.log(
    `${rows.toLocaleString('en-US').padStart(12)} rows  ${megabytes.toFixed(0).padStart(5)} MB  udsv ${udsv.toFixed(2)} s (cpu ${udsvCpu.toFixed(2)} s, peak RSS ${udsvRss.toFixed(0)} MB)`,
  );
  const seconds = new Map();
  for (const [threads, runs] of ours) {
    const profile = least(runs, 'seconds');
    const profileCpu = least(runs, 'cpuSeconds');
    const rss = peakRss(runs);
    seconds.set(threads, profile);
    results.push({ rows, threads, rss });
    console.log(
      `    profile, ${threads} threads  ${profile.toFixed(2)} s  ratio ${(profile / udsv).toFixed(2)} ` +
        `(cpu ${profileCpu.toFixed(2)}/${udsvCpu.toFixed(2)} s = ${(profileCpu / udsvCpu).toFixed(2)})  ` +
        `${Math.round(rows / profile).toLocaleString('en-US')} rows/s  peak RSS ${rss.toFixed(0)} MB`,
    );
  }
  if (seconds.has(1) && seconds.has(2)) {
    console.log(
      `    throughput, 2 threads over 1: ${(seconds.get(1) / seconds.get(2)).toFixed(2)} (goal ≥ 1.6)`,
    );
  }
}
// Memory against size, per thread count: flat is the goal.
for (const threads of threadCounts) {
  const runs = results.filter((result) => result.threads === threads);
  if (runs.length > 1) {
    const first = runs[0];
    const last = runs[runs.length - 1];
    console.log(
      `${threads} threads: peak RSS ${first.rss.toFixed(0)} MB at ${first.rows.toLocaleString('en-US')} rows, ${last.rss.toFixed(0)} MB at ${last.rows.toLocaleString('en-US')} rows`,
    );
  }
}
