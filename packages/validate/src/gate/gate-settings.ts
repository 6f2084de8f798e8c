/**
 * The gate's settings as the fronts take them (the action's inputs, `mlactions gate`'s flags): text,
 * checked and turned into one GateRequest, so both fronts refuse and default the same way. Names in
 * messages are the inputs' (the flags are the same names with `--`).
 */
import { resolve } from 'node:path';
import { choiceSetting, UserError } from '@mlactions/core';
import type { RemoteSources } from '@mlactions/data';
import type { MissingBaselinePolicy } from '../rules/evaluate.ts';
import { type ScoreSettingsText, scoreRequestFrom } from '../score-settings.ts';
import type { BaselineSource, BaselineStore, GateCandidate, GateRequest } from './gate.ts';

export interface GateSettingsText extends ScoreSettingsText {
  rules: readonly string[];
  /** The candidate's metrics file; or what to score now (a model, or predictions, with its label). */
  metrics?: string | undefined;
  /** The column that joins the candidate's predictions with `baselinePredictions`. */
  id?: string | undefined;
  baselinePredictions?: string | undefined;
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

const MISSING_BASELINE: readonly MissingBaselinePolicy[] = ['skip', 'error'];

function candidateFrom(text: GateSettingsText, context: GateSettingsContext): GateCandidate {
  const { metrics, model, data, predictions } = text;
  const given = [metrics, model ?? data, predictions].filter((value) => value !== undefined).length;
  if (given > 1)
    throw new UserError(
      'give one candidate: `metrics`, or `model` with `data` and `label`, or `predictions` with `label`',
    );
  if (metrics !== undefined) return { kind: 'metrics', path: resolve(context.cwd, metrics) };
  const scored = scoreRequestFrom(text, context);
  if (scored === undefined)
    throw new UserError(
      "say what to gate: `metrics` (a metrics file), `model` (an .onnx file) with `data` and `label`, or `predictions` (any framework's predictions file) with `label`",
    );
  return scored;
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
  const candidate = candidateFrom(text, context);
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
