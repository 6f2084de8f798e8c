// Benchmark of drift profiling (not a test; CI runs nothing here). Makes CSV files of 10 numeric and
// 2 categorical columns at each size, then measures, each in its own child process:
//   udsv     parsing the file into typed columns with udsv (the peer)
//   profile  profiling the file as the drift check does (inference, counts, sketches, bins)
// and prints profiling time as a ratio to udsv (goal <= 1.0; wall time, and CPU time of all the
// process's threads, which is steadier on a shared machine), rows per second, and the peak RSS of
// profiling at each size (goal < 300 MB and flat from 1M to 10M rows).
//
//   node bench/drift/run.mjs [--sizes 1000000,10000000] [--repeat 3]
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
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);

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
  const ours = [];
  for (let i = 0; i < repeat; i++) {
    peers.push(runTask(tasks, 'udsv', file));
    ours.push(runTask(tasks, 'profile', file));
    if (peers[i].rows !== rows || ours[i].rows !== rows)
      throw new Error(`row counts differ: ${peers[i].rows}, ${ours[i].rows}, ${rows}`);
  }
  const udsv = least(peers, 'seconds');
  const udsvCpu = least(peers, 'cpuSeconds');
  const profile = least(ours, 'seconds');
  const profileCpu = least(ours, 'cpuSeconds');
  const rss = peakRss(ours);
  const udsvRss = peakRss(peers);
  results.push({ rows, megabytes, udsv, profile, rss, udsvRss });
  const cpuRatio = profileCpu / udsvCpu;
  console.log(
    `${rows.toLocaleString('en-US').padStart(12)} rows  ${megabytes.toFixed(0).padStart(5)} MB  ` +
      `udsv ${udsv.toFixed(2)} s  profile ${profile.toFixed(2)} s  ratio ${(profile / udsv).toFixed(2)} ` +
      `(cpu ${profileCpu.toFixed(2)}/${udsvCpu.toFixed(2)} s = ${cpuRatio.toFixed(2)})  ` +
      `${Math.round(rows / profile).toLocaleString('en-US')} rows/s  peak RSS ${rss.toFixed(0)} MB (udsv ${udsvRss.toFixed(0)} MB)`,
  );
}
if (results.length > 1) {
  const first = results[0];
  const last = results[results.length - 1];
  console.log(
    `peak RSS ${first.rss.toFixed(0)} MB at ${first.rows.toLocaleString('en-US')} rows, ${last.rss.toFixed(0)} MB at ${last.rows.toLocaleString('en-US')} rows`,
  );
}
