/**
 * The measured tasks of the drift benchmark, each run in a child process of run.mjs so that its time
 * and peak RSS are its own. Prints one JSON line: { seconds, cpuSeconds, rows, maxRssMb, ... }.
 *
 *   tasks.mjs udsv <csv>      parse the file into typed columns with udsv (the peer)
 *   tasks.mjs profile <csv>   profile the file as the drift check does (types, sketches, bins, counts)
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileSource, profileSources } from '../../packages/drift/src/index.ts';

const [task, data] = process.argv.slice(2) as [string, string];

/** udsv is a dev dependency of packages/drift, loaded from there and typed as far as used here. */
const fromDrift = createRequire(
  join(process.env.MLACTIONS_ROOT ?? process.cwd(), 'packages/drift/package.json'),
);
interface Udsv {
  inferSchema(text: string): unknown;
  initParser(schema: unknown): {
    chunk(text: string, parse: unknown, onRow: (row: unknown[]) => boolean): void;
    typedCols: unknown;
    end(): void;
  };
}

/** udsv's typed parse of the whole file, streamed; rows are counted, not kept (its cheapest typed path). */
async function udsv(): Promise<Record<string, number>> {
  const { inferSchema, initParser } = fromDrift('udsv') as Udsv;
  const start = performance.now();
  let parser: ReturnType<Udsv['initParser']> | undefined;
  let rows = 0;
  let checksum = 0;
  const onRow = (row: unknown[]) => {
    rows++;
    checksum += row[0] as number;
    return true;
  };
  for await (const chunk of createReadStream(data, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    parser ??= initParser(inferSchema(chunk as string));
    parser.chunk(chunk as string, parser.typedCols, onRow);
  }
  parser!.end();
  return { seconds: (performance.now() - start) / 1000, rows, checksum };
}

async function profile(): Promise<Record<string, number>> {
  const start = performance.now();
  const result = await profileSources(fileSource(data));
  const seconds = (performance.now() - start) / 1000;
  return {
    seconds,
    rows: result.rows,
    columns: result.columns.length,
    profileBytes: JSON.stringify(result).length,
  };
}

const tasks: Record<string, () => Promise<Record<string, number>>> = { udsv, profile };
const run = tasks[task];
if (!run) throw new Error(`unknown task ${task}`);
const cpuStart = process.cpuUsage();
const result = await run();
const cpu = process.cpuUsage(cpuStart);
// CPU seconds (all threads of the process) alongside wall seconds: steadier on a shared machine.
console.log(
  JSON.stringify({
    ...result,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
