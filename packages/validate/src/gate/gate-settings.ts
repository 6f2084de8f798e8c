/**
 * The gate's settings as the fronts take them (the action's inputs, `mlactions gate`'s flags): text,
 * checked and turned into one GateRequest, so both fronts refuse and default the same way. Names in
 * messages are the inputs' (the flags are the same names with `--`).
 */
import { resolve } from 'node:path';
import { choiceSetting, UserError } from '@mlactions/core';
import { isUri, type RemoteSources } from '@mlactions/data';
import type { ValidateOptions } from '../evaluate/evaluate.ts';
import type { Task } from '../evaluate/report.ts';
import { PREDICTIONS_TASKS, type PredictionsOptions } from '../predictions/predictions.ts';
import type { MissingBaselinePolicy } from '../rules/evaluate.ts';
import type { BaselineSource, BaselineStore, GateCandidate, GateRequest } from './gate.ts';

export interface GateSettingsText {
  rules: readonly string[];
  /** The candidate's metrics file; or model, data and label to validate now; or predictions and label. */
  metrics?: string | undefined;
  predictions?: string | undefined;
  predictionColumn?: string | undefined;
  probabilityPrefix?: string | undefined;
  query?: string | undefined;
  /** Ranking cutoffs, as text: each a positive whole number. */
  k?: readonly string[] | undefined;
  /** The column that joins the candidate's predictions with `baselinePredictions`. */
  id?: string | undefined;
  baselinePredictions?: string | undefined;
  model?: string | undefined;
  data?: string | undefined;
  label?: string | undefined;
  task?: string | undefined;
  features?: readonly string[] | undefined;
  exclude?: readonly string[] | undefined;
  slice?: string | undefined;
  /** The baseline's metrics file; or a store, the model's name there, and a version or an alias. */
  baseline?: string | undefined;
  store?: string | undefined;
  name?: string | undefined;
  baselineVersion?: string | undefined;
  baselineAlias?: string | undefined;
  baselineModel?: string | undefined;
  bootstrapMetrics?: readonly string[] | undefined;
  margin?: number | undefined;
  confidence?: number | undefined;
  resamples?: number | undefined;
  seed?: number | undefined;
  missingBaseline?: string | undefined;
}

export interface GateSettingsContext {
  /** Relative paths are read from here (the workspace, the shell's folder). */
  cwd: string;
  /** Opens the store a baseline is read from (each front has its own credentials). */
  openStore: (uri: string) => BaselineStore;
  /** Reads `s3://` data (@mlactions/store's s3DataReader, with the front's endpoint). */
  remote?: RemoteSources;
}

const TASKS: readonly Task[] = ['classification', 'regression'];
const MISSING_BASELINE: readonly MissingBaselinePolicy[] = ['skip', 'error'];

function cutoff(text: string): number {
  const k = Number(text);
  if (text.trim() === '' || !Number.isInteger(k) || k < 1)
    throw new UserError(`\`k\` is a ranking cutoff, a positive whole number; got ${JSON.stringify(text)}`);
  return k;
}

/** What scoring a predictions file takes from the settings (`validate --predictions` and the gate). */
export function predictionsOptionsFrom(
  text: Pick<
    GateSettingsText,
    'predictions' | 'label' | 'task' | 'slice' | 'predictionColumn' | 'probabilityPrefix' | 'query' | 'k'
  > & { predictions: string },
  at: (path: string) => string,
): PredictionsOptions {
  if (text.label === undefined)
    throw new UserError('a predictions file is scored against its label column: give `label`');
  const task = choiceSetting('task', text.task, PREDICTIONS_TASKS);
  return {
    predictions: at(text.predictions),
    label: text.label,
    ...(task ? { task } : {}),
    ...(text.slice ? { slice: text.slice } : {}),
    ...(text.predictionColumn ? { prediction: text.predictionColumn } : {}),
    ...(text.probabilityPrefix ? { probabilityPrefix: text.probabilityPrefix } : {}),
    ...(text.query ? { query: text.query } : {}),
    ...(text.k?.length ? { k: text.k.map(cutoff) } : {}),
  };
}

function candidateFrom(
  text: GateSettingsText,
  at: (path: string) => string,
  remote: RemoteSources | undefined,
): GateCandidate {
  const { metrics, model, data, label, predictions } = text;
  const given = [metrics, model ?? data, predictions].filter((value) => value !== undefined).length;
  if (given > 1)
    throw new UserError(
      'give one candidate: `metrics`, or `model` with `data` and `label`, or `predictions` with `label`',
    );
  if (metrics !== undefined) return { kind: 'metrics', path: at(metrics) };
  if (predictions !== undefined)
    return { kind: 'predictions', predictions: predictionsOptionsFrom({ ...text, predictions }, at) };
  if (model === undefined || data === undefined || label === undefined) {
    throw new UserError(
      "say what to gate: `metrics` (a metrics file), `model` (an .onnx file) with `data` and `label`, or `predictions` (any framework's predictions file) with `label`",
    );
  }
  const task = choiceSetting('task', text.task, TASKS);
  const validate: ValidateOptions = {
    model: at(model),
    data: isUri(data) ? data : at(data),
    label,
    ...(remote ? { remote } : {}),
    ...(task ? { task } : {}),
    ...(text.features?.length ? { features: [...text.features] } : {}),
    ...(text.exclude?.length ? { exclude: [...text.exclude] } : {}),
    ...(text.slice ? { slice: text.slice } : {}),
  };
  return { kind: 'model', validate };
}

function baselineFrom(
  text: GateSettingsText,
  context: GateSettingsContext,
  at: (path: string) => string,
): BaselineSource | undefined {
  const { store, name, baselineVersion, baselineAlias } = text;
  if (store === undefined) {
    const given = (['name', 'baseline-version', 'baseline-alias'] as const).filter(
      (_, i) => [name, baselineVersion, baselineAlias][i] !== undefined,
    );
    if (given.length > 0)
      throw new UserError(
        `${given.map((n) => `\`${n}\``).join(', ')} name a store baseline: give \`store\` too`,
      );
    return text.baseline === undefined ? undefined : { kind: 'file', path: at(text.baseline) };
  }
  if (text.baseline !== undefined)
    throw new UserError('give the baseline as a file (`baseline`) or from a store (`store`), not both');
  if (name === undefined) throw new UserError('a store baseline needs the model: give `name`');
  if (baselineVersion !== undefined && baselineAlias !== undefined) {
    throw new UserError(
      `give \`baseline-version\` (${baselineVersion}) or \`baseline-alias\` (${baselineAlias}), not both: ` +
        'the baseline is one version',
    );
  }
  return {
    kind: 'store',
    store: context.openStore(store),
    name,
    ...(baselineVersion !== undefined
      ? { version: baselineVersion }
      : { alias: baselineAlias ?? 'production' }),
  };
}

/** The gate's request from its settings, or one error naming the setting and the fix. */
export function gateRequestFrom(text: GateSettingsText, context: GateSettingsContext): GateRequest {
  const at = (path: string) => resolve(context.cwd, path);
  const candidate = candidateFrom(text, at, context.remote);
  const baseline = baselineFrom(text, context, at);
  const missingBaseline = choiceSetting('missing-baseline', text.missingBaseline, MISSING_BASELINE);
  if (text.baselinePredictions !== undefined && text.id === undefined)
    throw new UserError(
      "baseline predictions are joined with the candidate's on an id column: give `id` (a column both files hold)",
    );
  const { margin, confidence, resamples, seed } = text;
  return {
    rules: [...text.rules],
    candidate,
    ...(baseline ? { baseline } : {}),
    ...(text.baselineModel !== undefined ? { baselineModel: at(text.baselineModel) } : {}),
    ...(text.baselinePredictions !== undefined
      ? { baselinePredictions: { path: at(text.baselinePredictions), id: text.id! } }
      : {}),
    bootstrap: {
      metrics: [...(text.bootstrapMetrics ?? [])],
      ...(margin !== undefined ? { margin } : {}),
      ...(confidence !== undefined ? { confidence } : {}),
      ...(resamples !== undefined ? { resamples } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
    ...(missingBaseline ? { missingBaseline } : {}),
  };
}
