import { performance } from 'node:perf_hooks';
import { quantile, UserError } from '@mlactions/core';
import { describeModelPort, type Model, type ModelPort, openModel } from '../model/model.ts';
import {
  type BatchOutput,
  ClassificationCollector,
  type Collector,
  RegressionCollector,
  SliceCodes,
} from './collect.ts';
import { columnIndex } from './columns.ts';
import { type DataDescription, type FeedPlan, mismatch, planFeeds } from './feeds.ts';
import { dropMissingLabels, type MissingLabelPolicy } from './missing-labels.ts';
import { declaredWidth, type OutputKindOption } from './outputs.ts';
import type { Evaluation, EvaluationRows, LatencyMetrics, ModelReport, Task } from './report.ts';
import { scoreRows } from './score.ts';
import { NotANumber, type OpenTableOptions, openTable, type Table } from './table.ts';

export const DEFAULT_BATCH_SIZE = 1024;

export interface EvaluateOptions {
  /** The label column. */
  readonly label: string;
  /** By default: classification when the scored output has two or more columns, else regression. */
  readonly task?: Task;
  /** Feature columns in the model's order; by default every column but the label, slice and `exclude`. */
  readonly features?: readonly string[];
  /** Columns that are neither features nor the label (ids, timestamps). */
  readonly exclude?: readonly string[];
  /** A column to report metrics per value of (a segment or fairness check). */
  readonly slice?: string;
  /** Class names in the order of the model's output columns; by default the graph's or the labels' sorted. */
  readonly classes?: readonly (string | number)[];
  /** The output to score; by default the first float tensor output. */
  readonly output?: string;
  /** How to read a classifier's output (default `auto`: probabilities when rows sum to 1, else logits). */
  readonly outputKind?: OutputKindOption;
  /** Rows with an empty label: `skip` (default; counted in `missingLabels`) or `error`. */
  readonly missingLabels?: MissingLabelPolicy;
  readonly batchSize?: number;
  /** Milliseconds clock for latencies (performance.now by default). */
  readonly clock?: () => number;
}

const FLOAT_TYPES = new Set(['float32', 'float64']);

/**
 * Runs the model over the table in batches and scores its outputs against the labels. Memory holds one
 * batch of features plus the per-row results (label, probabilities or prediction), never the file.
 */
export async function evaluate(model: Model, table: Table, options: EvaluateOptions): Promise<Evaluation> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UserError(`batch size must be a positive integer, not ${batchSize}`);
  columnIndex(table.columns, options.label, table.path);
  if (options.slice !== undefined) columnIndex(table.columns, options.slice, table.path);
  const data: DataDescription = {
    path: table.path,
    columns: table.columns,
    roles: {
      label: options.label,
      ...(options.slice === undefined ? {} : { slice: options.slice }),
      ...(options.features === undefined ? {} : { features: options.features }),
      ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    },
  };
  const feeds = planFeeds(model, data);
  const output = chooseOutput(model, options.output);
  const task = options.task ?? (await inferTask(model, data, feeds, output));
  const collector: Collector<EvaluationRows> =
    task === 'classification'
      ? new ClassificationCollector({
          outputKind: options.outputKind ?? 'auto',
          ...declaredClasses(model, options.classes),
        })
      : new RegressionCollector();
  const slices = options.slice === undefined ? undefined : new SliceCodes();
  const clock = options.clock ?? (() => performance.now());
  const batchLatencies: number[] = [];
  const rowLatencies: number[] = [];
  let missingLabels = 0;
  const batches = table.batches({
    features: feeds.features,
    label: options.label,
    labelKind: task === 'classification' ? 'string' : 'number',
    ...(options.slice === undefined ? {} : { slice: options.slice }),
    batchSize,
    featureType: feeds.featureType,
  });
  try {
    for await (const raw of batches) {
      const { batch, dropped, rowNumber } = dropMissingLabels(raw, options.missingLabels ?? 'skip', {
        path: table.path,
        label: options.label,
      });
      missingLabels += dropped;
      if (batch.rows === 0) continue;
      const inputs = feeds.feeds(batch.features, batch.rows);
      const start = clock();
      const result = await runOrExplain(
        model,
        data,
        inputs,
        output.name,
        rowNumber(0),
        rowNumber(batch.rows - 1),
      );
      const elapsed = clock() - start;
      batchLatencies.push(elapsed);
      rowLatencies.push(elapsed / batch.rows);
      collector.add(batch, batchOutput(result, output.name, batch.rows), rowNumber);
      if (slices) slices.add(batch.slices!, batch.rows);
    }
  } catch (error) {
    throw explainCell(error, model, data, feeds.features);
  }
  if (batchLatencies.length === 0) {
    throw new UserError(
      `data file ${table.path} has no rows with a label in column ${JSON.stringify(options.label)}`,
    );
  }
  const rows = collector.finish();
  const latency: LatencyMetrics = {
    latency_p50_ms: quantile(batchLatencies, 0.5),
    latency_p95_ms: quantile(batchLatencies, 0.95),
    latency_row_p50_ms: quantile(rowLatencies, 0.5),
    latency_row_p95_ms: quantile(rowLatencies, 0.95),
  };
  const report = scoreRows(
    rows,
    {
      missingLabels,
      features: feeds.features,
      output: { name: output.name, kind: collector.kind! },
      batchSize,
    },
    slices && { column: options.slice!, codes: slices },
    latency,
  ) as ModelReport; // timed: latency was given
  return { report, rows };
}

function declaredClasses(model: Model, classes: EvaluateOptions['classes']) {
  if (classes !== undefined)
    return { declaredClasses: { classes: classes.map(String), source: 'option' as const } };
  if (model.classLabels !== undefined)
    return { declaredClasses: { classes: model.classLabels, source: 'model' as const } };
  return {};
}

/**
 * A cell that is not a number: in a feature column, the model's mismatch error (it lists the inputs
 * and columns, which shows a text column left among the features); in the label, a hint that the task
 * may be classification.
 */
function explainCell(
  error: unknown,
  model: Model,
  data: DataDescription,
  features: readonly string[],
): unknown {
  if (!(error instanceof NotANumber)) return error;
  if (features.includes(error.column)) {
    return mismatch(
      model,
      data,
      `${error.row}, column ${JSON.stringify(error.column)} holds ${error.shown}, which is not a number`,
    );
  }
  if (error.column === data.roles.label) {
    return new UserError(
      `${error.message}; a regression's label is a number (for a classifier, set task to classification)`,
    );
  }
  return error;
}

/** The output to score: the named one, or the first float tensor (a classifier's label output is skipped). */
function chooseOutput(model: Model, name?: string): ModelPort {
  const listed = () => model.outputs.map(describeModelPort).join(', ');
  if (name !== undefined) {
    const port = model.outputs.find((candidate) => candidate.name === name);
    if (!port)
      throw new UserError(
        `model ${model.path} has no output ${JSON.stringify(name)}; its outputs are ${listed()}`,
      );
    if (!FLOAT_TYPES.has(port.type)) {
      throw new UserError(
        `model ${model.path}'s output ${describeModelPort(port)} is not a float tensor to score; its outputs are ${listed()}`,
      );
    }
    return port;
  }
  const port = model.outputs.find((candidate) => FLOAT_TYPES.has(candidate.type));
  if (!port)
    throw new UserError(`model ${model.path} has no float output to score; its outputs are ${listed()}`);
  return port;
}

/** Classification when the output has two or more columns; a symbolic width is found by running one row. */
async function inferTask(
  model: Model,
  data: DataDescription,
  feeds: FeedPlan,
  output: ModelPort,
): Promise<Task> {
  let width = declaredWidth(output);
  if (width === undefined) {
    const probe =
      feeds.featureType === 'float64'
        ? new Float64Array(feeds.features.length)
        : new Float32Array(feeds.features.length);
    const result = await runOrExplain(model, data, feeds.feeds(probe, 1), output.name, 1, 1);
    width = batchOutput(result, output.name, 1).width;
  }
  return width >= 2 ? 'classification' : 'regression';
}

async function runOrExplain(
  model: Model,
  data: DataDescription,
  inputs: Parameters<Model['run']>[0],
  output: string,
  firstRow: number,
  lastRow: number,
) {
  try {
    return await model.run(inputs, [output]);
  } catch (error) {
    throw mismatch(
      model,
      data,
      `onnxruntime could not run rows ${firstRow}–${lastRow}: ${(error as Error).message}`,
    );
  }
}

function batchOutput(result: Awaited<ReturnType<Model['run']>>, name: string, rows: number): BatchOutput {
  const tensor = result[name]!;
  if (
    tensor.dims[0] !== rows ||
    !(tensor.data instanceof Float32Array || tensor.data instanceof Float64Array)
  ) {
    throw new UserError(
      `the model's output ${JSON.stringify(name)} has shape [${tensor.dims.join(', ')}] (${tensor.type}) for ${rows} rows; expected [${rows}, classes] or [${rows}] floats`,
    );
  }
  return { name, values: tensor.data, width: tensor.dims.slice(1).reduce((a, b) => a * b, 1) };
}

export interface ValidateOptions extends EvaluateOptions, OpenTableOptions {
  /** Path of the .onnx model. */
  readonly model: string;
  /** The validation set: a file (.csv, .tsv, .jsonl, .parquet, optionally .gz), a folder or a glob pattern. */
  readonly data: string;
  /** Threads for one inference; by default onnxruntime decides. */
  readonly threads?: number;
}

/**
 * Opens the model and the data, evaluates, and closes both: the `validate` verb's whole work. The
 * model comes first: a wrong model path fails before any data is read (remote Parquet, for one, is
 * downloaded whole before its first row).
 */
export async function validate(options: ValidateOptions): Promise<Evaluation> {
  const model = await openModel(
    options.model,
    options.threads === undefined ? {} : { threads: options.threads },
  );
  try {
    const table = await openTable(options.data, options);
    try {
      return await evaluate(model, table, options);
    } finally {
      await table.close();
    }
  } finally {
    await model.close();
  }
}
