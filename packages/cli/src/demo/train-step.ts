/**
 * Training one version of the demo's model: fit it in Node, write the ONNX file, the per-epoch history
 * and the parameters, then score the written model on the validation rows with @mlactions/validate so
 * the final metrics are the ones every other verb computes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  classifierToOnnx,
  type EpochMetrics,
  type TrainOptions,
  trainSoftmax,
} from '@mlactions/example-model';
import { runCostMetrics } from '@mlactions/train';
import { validate } from '@mlactions/validate';
import { CLASSES, COLUMNS, type DemoData, LABEL, PLAN_CODES } from './dataset.ts';

/** How one version is trained. */
export interface ModelConfig {
  version: string;
  features: readonly string[];
  epochs: number;
  learningRate: number;
}

const BATCH_SIZE = 64;
const L2 = 1e-4;

/** Quality metrics of a classifier (the validate JSON's names); latencies vary by machine and are left out. */
export function qualityMetrics(metrics: object): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && !entry[0].startsWith('latency_'),
    ),
  );
}

/** The history as CSV, one row per epoch, numbers to 6 significant digits. */
export function historyCsv(history: readonly EpochMetrics[]): string {
  const keys = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;
  const rows = history.map((entry) => keys.map((key) => String(Number(entry[key].toPrecision(6)))).join(','));
  return `${[keys.join(','), ...rows].join('\n')}\n`;
}

export interface TrainedVersion {
  config: ModelConfig;
  /** Folder of this version's files: model.onnx, params.json, metrics/. */
  dir: string;
  model: string;
  metricsDir: string;
  params: string;
  /** The last epoch's history entry. */
  last: EpochMetrics;
  /** Metrics of the written model on the validation rows. */
  final: Record<string, number>;
}

/** Trains a version into `<runs>/<version>/`; `validationCsv` holds the same rows as `data.validation`. */
export async function trainVersion(
  config: ModelConfig,
  data: DemoData,
  options: { runs: string; validationCsv: string; seed: number; producerVersion: string },
): Promise<TrainedVersion> {
  const dir = join(options.runs, config.version);
  const metricsDir = join(dir, 'metrics');
  await mkdir(metricsDir, { recursive: true });
  const training: TrainOptions = {
    columns: COLUMNS,
    features: config.features,
    categories: config.features.includes('plan') ? { plan: PLAN_CODES } : {},
    classes: CLASSES,
    epochs: config.epochs,
    learningRate: config.learningRate,
    batchSize: BATCH_SIZE,
    l2: L2,
    seed: options.seed,
  };
  const started = performance.now();
  const { model, history } = trainSoftmax(data.train, data.validation, training);
  // What train's cost.json holds, for a run on no GPU: the report's cost row.
  const cost = runCostMetrics({ wallSeconds: (performance.now() - started) / 1000, gpus: 0 });
  await writeFile(join(metricsDir, 'cost.json'), `${JSON.stringify(cost, null, 2)}\n`);
  const modelFile = join(dir, 'model.onnx');
  await writeFile(
    modelFile,
    classifierToOnnx(model, {
      producerVersion: options.producerVersion,
      docString: `Predicts a subscription's ${LABEL} (${CLASSES.join(', ')}); version ${config.version} of the mlactions demo.`,
      metadata: { version: config.version },
    }),
  );
  const params = join(dir, 'params.json');
  const { columns: _, classes: __, ...recorded } = training;
  await writeFile(params, `${JSON.stringify(recorded, null, 2)}\n`);
  await writeFile(join(metricsDir, 'history.csv'), historyCsv(history));
  const { report } = await validate({
    model: modelFile,
    data: options.validationCsv,
    label: LABEL,
    classes: CLASSES,
  });
  const final = qualityMetrics(report.metrics);
  await writeFile(join(metricsDir, 'final.json'), `${JSON.stringify(final, null, 2)}\n`);
  return { config, dir, model: modelFile, metricsDir, params, last: history.at(-1)!, final };
}
