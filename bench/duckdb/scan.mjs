// How fast DuckDB reads a CSV into this process (not a dependency of ours: its linux-x64 binary is
// 68 MB). Install it anywhere and point here:
//
//   npm install --prefix /tmp/duck @duckdb/node-api
//   node bench/duckdb/scan.mjs --duckdb /tmp/duck <csv> [--threads 1] [--mode typed|aggregate]
//
// typed: every column handed to JavaScript as the verbs need it (numbers copied out of DuckDB's
// vectors as Float64Array, texts one string per cell); aggregate: a count of distinct values of every
// column inside DuckDB, nothing handed over (a floor for any use of it). Prints seconds and CPU
// seconds; compare with bench/drift and bench/validate on the same files.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duckdb: { type: 'string' },
    threads: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'typed' },
  },
});
if (!values.duckdb || positionals.length !== 1) {
  console.error(
    'usage: node bench/duckdb/scan.mjs --duckdb <folder with @duckdb/node-api> <csv> [--threads N] [--mode typed|aggregate]',
  );
  process.exit(2);
}
const { DuckDBInstance } = createRequire(join(resolve(values.duckdb), 'node_modules', 'x.js'))(
  '@duckdb/node-api',
);
const file = resolve(positionals[0]).replaceAll("'", "''");
const instance = await DuckDBInstance.create(':memory:', { threads: values.threads });
const connection = await instance.connect();
const started = performance.now();
const cpu = process.cpuUsage();
let rows = 0;
if (values.mode === 'aggregate') {
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`);
  const columns = described
    .getRows()
    .map((row) => `count(DISTINCT "${String(row[0]).replaceAll('"', '""')}")`);
  const result = await connection.runAndReadAll(
    `SELECT count(*), ${columns.join(', ')} FROM read_csv('${file}')`,
  );
  rows = Number(result.getRows()[0][0]);
} else {
  const result = await connection.stream(`SELECT * FROM read_csv('${file}')`);
  const numbers = new Float64Array(4096);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
    for (let c = 0; c < chunk.columnCount; c++) {
      const vector = chunk.getColumnVector(c);
      // Double columns expose their values as a Float64Array over DuckDB's memory: one copy out.
      if (vector.items instanceof Float64Array) numbers.set(vector.items.subarray(0, numbers.length));
      else if (vector.items instanceof BigInt64Array)
        for (let i = 0; i < chunk.rowCount; i++) numbers[i] = Number(vector.items[i]);
      else for (let i = 0; i < chunk.rowCount; i++) vector.getItem(i);
    }
  }
}
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    mode: values.mode,
    threads: Number(values.threads),
    rows,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
  }),
);
