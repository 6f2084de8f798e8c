import { UserError } from '@mlactions/core';
import type { Manifest } from '@mlactions/store';
import { type ClassifierCurves, classifierCurves } from '../evaluate/curves.ts';
import { type ValidateOptions, validate } from '../evaluate/evaluate.ts';
import { flattenReport } from '../evaluate/flatten.ts';
import type { Evaluation, Task, ValidationReport } from '../evaluate/report.ts';
import { type BootstrapResult, bootstrapVerdict, pairedBootstrap } from '../metrics/bootstrap.ts';
import {
  evaluateRule,
  formatValue,
  type MissingBaselinePolicy,
  type RuleResult,
  ruleUsesBaseline,
} from '../rules/evaluate.ts';
import { parseRule } from '../rules/parse.ts';
import { manifestMetrics, readGateMetrics } from './metrics-source.ts';

/** What the gate judges: a model validated now, or metrics computed elsewhere. */
export type GateCandidate =
  | { readonly kind: 'model'; readonly validate: ValidateOptions }
  | { readonly kind: 'metrics'; readonly path: string };

/** The part of an ArtifactStore the gate reads (a version's manifest, an alias's history). */
export interface BaselineStore {
  readonly uri: string;
  show(name: string, version: string): Promise<Manifest>;
  aliasHistory(name: string, alias: string): Promise<readonly { version: string }[]>;
}

/** Where the baseline's metrics come from. */
export type BaselineSource =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'store';
      readonly store: BaselineStore;
      readonly name: string;
      readonly version?: string;
      readonly alias?: string;
    };

export interface BootstrapSettings {
  /** Metrics to compare (default: accuracy for a classifier, rmse for a regressor). */
  readonly metrics?: readonly string[];
  /** How much worse is tolerated, in the metric's units (default 0). */
  readonly margin?: number;
  readonly resamples?: number;
  readonly confidence?: number;
  readonly seed?: number;
}

export interface GateRequest {
  /** One comparison per rule, e.g. `accuracy >= 0.9`, `f1_macro >= baseline - 0.01`. */
  readonly rules: readonly string[];
  readonly candidate: GateCandidate;
  readonly baseline?: BaselineSource;
  /**
   * A baseline model (e.g. production's) evaluated on the candidate's data: both are compared by a
   * paired bootstrap, and its metrics are the baseline's unless `baseline` names others.
   */
  readonly baselineModel?: string;
  readonly bootstrap?: BootstrapSettings;
  /** Rules that need a baseline when there is none: `skip` (default; a first run) or `error`. */
  readonly missingBaseline?: MissingBaselinePolicy;
}

/** One paired-bootstrap comparison with the baseline model, as a check that passes or fails. */
export interface BootstrapCheck extends BootstrapResult {
  /** False when the candidate is worse beyond the margin with the given confidence. */
  readonly passed: boolean;
  /** One line for people, e.g. `accuracy 0.8 vs baseline model 0.85: Δ -0.05, 95% interval [-0.08, -0.02]: worse`. */
  readonly message: string;
}

export interface GateOutcome {
  /** True when no rule and no bootstrap check failed. */
  readonly passed: boolean;
  /** The candidate's validation report, when a model was validated. */
  readonly report?: ValidationReport;
  /** The candidate's numbers by name, as rules name them. */
  readonly metrics: ReadonlyMap<string, number>;
  readonly baseline?: { readonly source: string; readonly metrics: ReadonlyMap<string, number> };
  /** Why there is no baseline, when there is none. */
  readonly noBaseline?: string;
  readonly rules: readonly RuleResult[];
  readonly bootstrap: readonly BootstrapCheck[];
  /** A classifier's ROC, precision–recall and calibration curves, when a model was validated. */
  readonly curves?: ClassifierCurves;
}

/** The metric a bootstrap compares by default: the one most people gate a model of the task on. */
export function headlineMetric(task: Task): string {
  return task === 'classification' ? 'accuracy' : 'rmse';
}

type LoadedBaseline =
  | { readonly source: string; readonly metrics: Map<string, number> }
  | { readonly missing: string };

async function loadBaseline(source: BaselineSource): Promise<LoadedBaseline> {
  if (source.kind === 'file') return { source: source.path, metrics: await readGateMetrics(source.path) };
  const { store, name } = source;
  if ((source.version === undefined) === (source.alias === undefined)) {
    throw new UserError(
      `a store baseline names either a version or an alias of ${name}, not ${source.alias === undefined ? 'neither' : 'both'}`,
    );
  }
  let version = source.version;
  if (source.alias !== undefined) {
    version = (await store.aliasHistory(name, source.alias)).at(-1)?.version;
    // A first run: nothing was promoted yet, which is no reason to block the change.
    if (version === undefined)
      return { missing: `alias ${source.alias} of ${name} is not set in ${store.uri}` };
  }
  const manifest = await store.show(name, version!);
  const metrics = manifestMetrics(manifest);
  const label = `${name} ${manifest.version}${source.alias ? ` (${source.alias})` : ''} in ${store.uri}`;
  if (metrics.size === 0) return { missing: `${label} was published without metrics` };
  return { source: label, metrics };
}

function bootstrapMessage(result: BootstrapResult, passed: boolean): string {
  const percent = `${Number((result.confidence * 100).toPrecision(4))}%`;
  return (
    `${result.metric} ${formatValue(result.candidate)} vs baseline model ${formatValue(result.baseline)}: ` +
    `Δ ${formatValue(result.delta)}, ${percent} interval [${formatValue(result.low)}, ${formatValue(result.high)}]` +
    `${result.margin > 0 ? `, margin ${formatValue(result.margin)}` : ''}: ${bootstrapVerdict(result)}${passed ? '' : ' (failed)'}`
  );
}

function bootstrapChecks(
  candidate: Evaluation,
  baseline: Evaluation,
  settings: BootstrapSettings,
): BootstrapCheck[] {
  const metrics = settings.metrics?.length ? settings.metrics : [headlineMetric(candidate.report.task)];
  return metrics.map((metric) => {
    const result = pairedBootstrap(candidate.rows, baseline.rows, {
      metric,
      ...(settings.margin === undefined ? {} : { margin: settings.margin }),
      ...(settings.resamples === undefined ? {} : { resamples: settings.resamples }),
      ...(settings.confidence === undefined ? {} : { confidence: settings.confidence }),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    });
    const passed = !result.worse;
    return { ...result, passed, message: bootstrapMessage(result, passed) };
  });
}

/**
 * The gate: validates the candidate (or reads its metrics), reads the baseline, evaluates every rule
 * and, with a baseline model, runs the paired bootstrap. Rules are parsed and the baseline read
 * before any model runs, so a typo fails in a second rather than after a long validation.
 */
export async function runGate(request: GateRequest): Promise<GateOutcome> {
  if (request.rules.length === 0 && request.baselineModel === undefined) {
    throw new UserError('the gate has no rules: give at least one, e.g. "accuracy >= 0.9"');
  }
  const rules = request.rules.map(parseRule);
  const policy = request.missingBaseline ?? 'skip';
  if (request.baselineModel !== undefined && request.candidate.kind !== 'model') {
    throw new UserError(
      'a baseline model is compared with the candidate model on the same data: give the model, data and label rather than a metrics file',
    );
  }

  let loaded: LoadedBaseline | undefined = request.baseline
    ? await loadBaseline(request.baseline)
    : undefined;
  const needing = rules.filter(ruleUsesBaseline);
  let noBaseline: string | undefined;
  if (request.baselineModel === undefined && (loaded === undefined || 'missing' in loaded)) {
    noBaseline = loaded?.missing ?? (needing.length > 0 ? 'no baseline was given' : undefined);
    if (noBaseline && needing.length > 0 && policy === 'error') {
      throw new UserError(
        `${noBaseline}, and the rule ${JSON.stringify(needing[0]!.text)} compares with the baseline; give a baseline, or skip such rules when there is none (missing baseline: skip)`,
      );
    }
  }

  let report: ValidationReport | undefined;
  let curves: ClassifierCurves | undefined;
  let metrics: Map<string, number>;
  let bootstrap: BootstrapCheck[] = [];
  if (request.candidate.kind === 'model') {
    const candidate = await validate(request.candidate.validate);
    report = candidate.report;
    if (candidate.rows.task === 'classification') curves = classifierCurves(candidate.rows);
    metrics = flattenReport(candidate.report);
    if (request.baselineModel !== undefined) {
      const baseline = await validate({ ...request.candidate.validate, model: request.baselineModel });
      bootstrap = bootstrapChecks(candidate, baseline, request.bootstrap ?? {});
      // An explicit baseline's metrics win; otherwise the baseline model's, on the same rows.
      if (loaded === undefined || 'missing' in loaded) {
        loaded = {
          source: `baseline model ${request.baselineModel}`,
          metrics: flattenReport(baseline.report),
        };
      }
    }
  } else {
    metrics = await readGateMetrics(request.candidate.path);
  }

  const baseline = loaded && 'metrics' in loaded ? loaded : undefined;
  const results = rules.map((rule) =>
    evaluateRule(rule, {
      metrics,
      ...(baseline ? { baseline: baseline.metrics } : {}),
      missingBaseline: policy,
    }),
  );
  const passed = results.every((r) => r.passed) && bootstrap.every((b) => b.passed);
  return {
    passed,
    ...(report ? { report } : {}),
    metrics,
    ...(baseline ? { baseline } : {}),
    ...(noBaseline ? { noBaseline } : {}),
    rules: results,
    bootstrap,
    ...(curves ? { curves } : {}),
  };
}

/** The gate's outcome as one JSON document (`mlactions gate --format json`, the action's report file). */
export function gateJson(outcome: GateOutcome) {
  return {
    passed: outcome.passed,
    rules: outcome.rules,
    bootstrap: outcome.bootstrap,
    metrics: Object.fromEntries(outcome.metrics),
    baseline: outcome.baseline
      ? { source: outcome.baseline.source, metrics: Object.fromEntries(outcome.baseline.metrics) }
      : null,
    ...(outcome.noBaseline ? { noBaseline: outcome.noBaseline } : {}),
  };
}

/** One line per failed rule or bootstrap check: what failed and why. */
export function failureLines(outcome: GateOutcome): string[] {
  return [
    ...outcome.rules.filter((r) => !r.passed).map((r) => r.message),
    ...outcome.bootstrap.filter((b) => !b.passed).map((b) => b.message),
  ];
}
