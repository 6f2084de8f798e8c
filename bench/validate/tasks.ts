/**
 * The measured tasks of the validate benchmark, each run in a child process of run.mjs so that its
 * time and peak RSS are its own. Prints one JSON line: { seconds, maxRssMb, ... }.
 *
 *   tasks.mjs udsv <csv>                   parse the file into typed columns with udsv
 *   tasks.mjs validate <csv> <model>       the whole evaluation, as `mlactions validate` runs it
 *   tasks.mjs session <csv> <model>        session.run alone over tensors preloaded from the file
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_BATCH_SIZE, openTable, validate } from '../../packages/validate/src/index.ts';

const [task, data, model] = process.argv.slice(2) as [string, string, string | undefined];

/**
 * The peers are installed in packages/validate (udsv as its dev dependency), not at the root: they are
 * loaded from there, typed as far as this file uses them.
 */
const fromValidate = createRequire(
  join(process.env.MLACTIONS_ROOT ?? process.cwd(), 'packages/validate/package.json'),
);
interface Udsv {
  inferSchema(text: string): unknown;
  initParser(schema: unknown): {
    chunk(text: string, parse: unknown, onRow: (row: unknown[]) => boolean): void;
    typedCols: unknown;
    end(): void;
  };
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => { dims: readonly number[] };
  InferenceSession: {
    create(
      path: string,
      options: { executionProviders: string[] },
    ): Promise<{ inputNames: readonly string[]; run(feeds: Record<string, unknown>): Promise<unknown> }>;
  };
}
const { inferSchema, initParser } = fromValidate('udsv') as Udsv;
const ort = fromValidate('onnxruntime-node') as Ort;

/** udsv's typed parse of the whole file, streamed; rows are counted, not kept (its cheapest typed path). */
async function udsv(): Promise<Record<string, number>> {
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

async function fullValidate(): Promise<Record<string, number>> {
  const start = performance.now();
  const { report } = await validate({ model: model!, data, label: 'label' });
  return {
    seconds: (performance.now() - start) / 1000,
    rows: report.rows,
    accuracy: report.task === 'classification' ? report.metrics.accuracy : Number.NaN,
    latencyP50Ms: report.metrics.latency_p50_ms,
  };
}

/** Reads every batch into memory first (untimed), then times session.run over them alone. */
async function sessionOnly(): Promise<Record<string, number>> {
  const table = await openTable(data);
  const features = table.columns.filter((name) => name !== 'label');
  const tensors: InstanceType<Ort['Tensor']>[] = [];
  for await (const batch of table.batches({
    features,
    label: 'label',
    labelKind: 'string',
    batchSize: DEFAULT_BATCH_SIZE,
  })) {
    tensors.push(new ort.Tensor('float32', batch.features as Float32Array, [batch.rows, features.length]));
  }
  const session = await ort.InferenceSession.create(model!, { executionProviders: ['cpu'] });
  const input = session.inputNames[0]!;
  const start = performance.now();
  let rows = 0;
  for (const tensor of tensors) {
    await session.run({ [input]: tensor });
    rows += tensor.dims[0]!;
  }
  return { seconds: (performance.now() - start) / 1000, rows };
}

const tasks: Record<string, () => Promise<Record<string, number>>> = {
  udsv,
  validate: fullValidate,
  session: sessionOnly,
};
const run = tasks[task];
if (!run) throw new Error(`unknown task ${task}`);
const result = await run();
console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
