/**
 * The measured tasks of the validate benchmark, each run in a child process of run.mjs so that its
 * time and peak RSS are its own. Prints one JSON line: { seconds, cpuSeconds, maxRssMiB, rows, ... }.
 *
 *   tasks.mjs udsv <csv>                   parse the file into typed columns with udsv
 *   tasks.mjs validate <csv> <model> <threads>   the whole evaluation, as `mlactions validate` runs it,
 *                                          with CSV parsed by that many worker threads
 *   tasks.mjs session <csv> <model>        session.run alone over tensors preloaded from the file
 */
import { DEFAULT_BATCH_SIZE, openTable, validate } from '../../packages/validate/src/index.ts';
import { measure, runNamedTask } from '../lib/measure.ts';
import { requireFrom } from '../lib/require-from.ts';
import { type Udsv, udsvParse } from '../lib/udsv.ts';

const [data, model, threads] = process.argv.slice(3) as [string, string | undefined, string | undefined];

/**
 * The peers are installed in packages/validate (udsv as its dev dependency), not at the root: they are
 * loaded from there, typed as far as this file uses them.
 */
const fromValidate = requireFrom('packages/validate');
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => { dims: readonly number[] };
  InferenceSession: {
    create(
      path: string,
      options: { executionProviders: string[] },
    ): Promise<{ inputNames: readonly string[]; run(feeds: Record<string, unknown>): Promise<unknown> }>;
  };
}
const udsv = fromValidate('udsv') as Udsv;
const ort = fromValidate('onnxruntime-node') as Ort;

function fullValidate(): Promise<void> {
  return measure(async () => {
    const { report } = await validate({ model: model!, data, label: 'label', readThreads: Number(threads) });
    return {
      rows: report.rows,
      accuracy: report.task === 'classification' ? report.metrics.accuracy : Number.NaN,
      latencyP50Ms: report.metrics.latency_p50_ms,
    };
  });
}

/** Reads every batch into memory first (untimed), then times session.run over them alone. */
async function sessionOnly(): Promise<void> {
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
  await measure(async () => {
    let rows = 0;
    for (const tensor of tensors) {
      await session.run({ [input]: tensor });
      rows += tensor.dims[0]!;
    }
    return { rows };
  });
}

await runNamedTask({
  udsv: () => measure(() => udsvParse(udsv, data)),
  validate: fullValidate,
  session: sessionOnly,
});
