/**
 * What to score, as the fronts take it (`mlactions validate`'s flags, and the gate's inputs and flags
 * for its candidate): a model run on data, or any framework's predictions file, each with its label
 * column. Text, checked and turned into one request, so the validate verb and the gate refuse and
 * default the same way. Names in messages are the inputs' (the flags are the same names with `--`).
 */
import { resolve } from 'node:path';
import { choiceSetting, UserError } from '@mlactions/core';
import { isUri, type RemoteSources } from '@mlactions/data';
import type { ValidateOptions } from './evaluate/evaluate.ts';
import { PREDICTIONS_TASKS, type PredictionsOptions } from './predictions/predictions.ts';

export interface ScoreSettingsText {
  /** An .onnx model, run on `data`; or `predictions`. */
  model?: string | undefined;
  /** A file, folder, glob pattern or s3:// URI. */
  data?: string | undefined;
  label?: string | undefined;
  /** By default inferred from the model's output (or the predictions). */
  task?: string | undefined;
  /** The model's feature columns in its order (by default every other column). */
  features?: readonly string[] | undefined;
  exclude?: readonly string[] | undefined;
  /** Also score per value of this column. */
  slice?: string | undefined;
  /** Any framework's predictions file, scored against `label`. */
  predictions?: string | undefined;
  predictionColumn?: string | undefined;
  probabilityPrefix?: string | undefined;
  /** Ranking: the column grouping documents into queries. */
  query?: string | undefined;
  /** Ranking cutoffs, as text: each a positive whole number. */
  k?: readonly string[] | undefined;
}

export interface ScoreSettingsContext {
  /** Relative paths are read from here (the workspace, the shell's folder). */
  cwd: string;
  /** Reads `s3://` data (@mlactions/store's s3DataReader, with the front's endpoint). */
  remote?: RemoteSources;
}

/** A model run on data, or a predictions file. */
export type ScoreRequest =
  | { readonly kind: 'model'; readonly validate: ValidateOptions }
  | { readonly kind: 'predictions'; readonly predictions: PredictionsOptions };

function cutoff(text: string): number {
  const k = Number(text);
  if (text.trim() === '' || !Number.isInteger(k) || k < 1)
    throw new UserError(`\`k\` is a ranking cutoff, a positive whole number; got ${JSON.stringify(text)}`);
  return k;
}

function predictionsOptionsFrom(
  text: ScoreSettingsText & { predictions: string },
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

function validateOptionsFrom(
  text: ScoreSettingsText & { model: string; data: string; label: string },
  at: (path: string) => string,
  remote: RemoteSources | undefined,
): ValidateOptions {
  const task = choiceSetting('task', text.task, PREDICTIONS_TASKS);
  if (task === 'multilabel' || task === 'ranking')
    throw new UserError(
      `a model validated here is a classifier or a regressor; score ${task} predictions with \`predictions\``,
    );
  return {
    model: at(text.model),
    data: isUri(text.data) ? text.data : at(text.data),
    label: text.label,
    ...(remote ? { remote } : {}),
    ...(task ? { task } : {}),
    ...(text.features?.length ? { features: [...text.features] } : {}),
    ...(text.exclude?.length ? { exclude: [...text.exclude] } : {}),
    ...(text.slice ? { slice: text.slice } : {}),
  };
}

/**
 * What to score from the settings, or one error naming the setting and the fix; undefined when
 * neither a model with its data and label nor a predictions file is named, for the verb to say what
 * it takes.
 */
export function scoreRequestFrom(
  text: ScoreSettingsText,
  context: ScoreSettingsContext,
): ScoreRequest | undefined {
  const at = (path: string) => resolve(context.cwd, path);
  const { model, data, label, predictions } = text;
  if (predictions !== undefined) {
    if (model !== undefined || data !== undefined)
      throw new UserError('give `predictions`, or `model` with `data` and `label`; not both');
    return { kind: 'predictions', predictions: predictionsOptionsFrom({ ...text, predictions }, at) };
  }
  if (model === undefined || data === undefined || label === undefined) return undefined;
  return {
    kind: 'model',
    validate: validateOptionsFrom({ ...text, model, data, label }, at, context.remote),
  };
}
