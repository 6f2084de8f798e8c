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
import type { MissingBaselinePolicy } from '../rules/evaluate.ts';
import type { BaselineSource, BaselineStore, GateCandidate, GateRequest } from './gate.ts';

export interface GateSettingsText {
  rules: readonly string[];
  /** The candidate's metrics file; or model, data and label to validate now. */
  metrics?: string | undefined;
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

function candidateFrom(
  text: GateSettingsText,
  at: (path: string) => string,
  remote: RemoteSources | undefined,
): GateCandidate {
  const { metrics, model, data, label } = text;
  if (metrics !== undefined) {
    if (model !== undefined || data !== undefined)
      throw new UserError('give `metrics`, or `model` with `data` and `label`; not both');
    return { kind: 'metrics', path: at(metrics) };
  }
  if (model === undefined || data === undefined || label === undefined) {
    throw new UserError(
      'say what to gate: `metrics` (a metrics file), or `model` (an .onnx file) with `data` and `label`',
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
  const { margin, confidence, resamples, seed } = text;
  return {
    rules: [...text.rules],
    candidate,
    ...(baseline ? { baseline } : {}),
    ...(text.baselineModel !== undefined ? { baselineModel: at(text.baselineModel) } : {}),
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
