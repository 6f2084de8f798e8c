import { UserError } from '@mlactions/core';
import type { Manifest } from '@mlactions/store';
import { type ClassifierCurves, classifierCurves } from '../evaluate/curves.ts';
import { validate } from '../evaluate/evaluate.ts';
import { flattenReport } from '../evaluate/flatten.ts';
import type { EvaluationRows, Task, ValidationReport } from '../evaluate/report.ts';
import { type BootstrapResult, bootstrapVerdict, pairedBootstrap } from '../metrics/bootstrap.ts';
import {
  type ScoredPredictions,
  scoreJoinedPredictions,
  scorePredictions,
} from '../predictions/predictions.ts';
import {
  evaluateRule,
  formatValue,
  type MissingBaselinePolicy,
  type RuleResult,
  ruleUsesBaseline,
} from '../rules/evaluate.ts';
import { parseRule } from '../rules/parse.ts';
import type { ScoreRequest } from '../score-settings.ts';
import { manifestMetrics, readGateMetrics } from './metrics-source.ts';

/** What the gate judges: a model validated now, any framework's predictions file, or metrics computed elsewhere. */
export type GateCandidate = ScoreRequest | { readonly kind: 'metrics'; readonly path: string };

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
  /**
   * A baseline's predictions file, joined with the candidate's predictions on the `id` column: as a
   * baseline model, compared by a paired bootstrap, its metrics the baseline's unless `baseline`
   * names others.
   */
  readonly baselinePredictions?: { readonly path: string; readonly id: string };
  readonly bootstrap?: BootstrapSettings;
  /** Rules that need a baseline when there is none: `skip` (default; a first run) or `error`. */
  readonly missingBaseline?: MissingBaselinePolicy;
}

/** One paired-bootstrap comparison with the baseline model, as a check that passes or fails. */
export interface BootstrapCheck extends BootstrapResult {
  /** False when the candidate is worse beyond the margin with the given confidence. */
  readonly passed: boolean;
  /** What the candidate was compared with: `baseline model` or `baseline predictions`. */
  readonly against: string;
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

function bootstrapMessage(result: BootstrapResult, passed: boolean, against: string): string {
  const percent = `${Number((result.confidence * 100).toPrecision(4))}%`;
  return (
    `${result.metric} ${formatValue(result.candidate)} vs ${against} ${formatValue(result.baseline)}: ` +
    `Δ ${formatValue(result.delta)}, ${percent} interval [${formatValue(result.low)}, ${formatValue(result.high)}]` +
    `${result.margin > 0 ? `, margin ${formatValue(result.margin)}` : ''}: ${bootstrapVerdict(result)}${passed ? '' : ' (failed)'}`
  );
}

function bootstrapChecks(
  candidate: EvaluationRows | undefined,
  baseline: EvaluationRows | undefined,
  settings: BootstrapSettings,
  against: string,
): BootstrapCheck[] {
  if (!candidate || !baseline) {
    throw new UserError(
      "the paired bootstrap compares classification or regression predictions; gate multilabel and ranking predictions by rules on their metrics (with `baseline` for the baseline's)",
    );
  }
  const metrics = settings.metrics?.length ? settings.metrics : [headlineMetric(candidate.task)];
  return metrics.map((metric) => {
    const result = pairedBootstrap(candidate, baseline, {
      metric,
      ...(settings.margin === undefined ? {} : { margin: settings.margin }),
      ...(settings.resamples === undefined ? {} : { resamples: settings.resamples }),
      ...(settings.confidence === undefined ? {} : { confidence: settings.confidence }),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    });
    const passed = !result.worse;
    return { ...result, passed, against, message: bootstrapMessage(result, passed, against) };
  });
}

/**
 * The gate: validates the candidate (or reads its metrics), reads the baseline, evaluates every rule
 * and, with a baseline model, runs the paired bootstrap. Rules are parsed and the baseline read
 * before any model runs, so a typo fails in a second rather than after a long validation.
 */
export async function runGate(request: GateRequest): Promise<GateOutcome> {
  if (request.rules.length === 0 && request.baselineModel === undefined && !request.baselinePredictions) {
    throw new UserError('the gate has no rules: give at least one, e.g. "accuracy >= 0.9"');
  }
  const rules = request.rules.map(parseRule);
  const policy = request.missingBaseline ?? 'skip';
  if (request.baselineModel !== undefined && request.candidate.kind !== 'model') {
    throw new UserError(
      'a baseline model is compared with the candidate model on the same data: give the model, data and label',
    );
  }
  if (request.baselinePredictions !== undefined && request.candidate.kind !== 'predictions') {
    throw new UserError(
      "baseline predictions are joined with the candidate's predictions: give the candidate's predictions file too",
    );
  }
  const paired = request.baselineModel ?? request.baselinePredictions?.path;

  let loaded: LoadedBaseline | undefined = request.baseline
    ? await loadBaseline(request.baseline)
    : undefined;
  const needing = rules.filter(ruleUsesBaseline);
  let noBaseline: string | undefined;
  if (paired === undefined && (loaded === undefined || 'missing' in loaded)) {
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
    if (candidate.rows.task === 'classification') curves = classifierCurves(candidate.rows);
    let baseline: ScoredPredictions | undefined;
    if (request.baselineModel !== undefined)
      baseline = await validate({ ...request.candidate.validate, model: request.baselineModel });
    ({ report, metrics, bootstrap, loaded } = judged(request, candidate, baseline, loaded));
  } else if (request.candidate.kind === 'predictions') {
    const { predictions } = request.candidate;
    const scored = request.baselinePredictions
      ? await scoreJoinedPredictions(
          predictions,
          request.baselinePredictions.path,
          request.baselinePredictions.id,
        )
      : { candidate: await scorePredictions(predictions), baseline: undefined };
    ({ report, metrics, bootstrap, loaded } = judged(request, scored.candidate, scored.baseline, loaded));
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

/**
 * The candidate's report and metrics and, with a baseline scored on the same rows (a model, or
 * joined predictions), the paired bootstrap; an explicit baseline's metrics win over that baseline's.
 */
function judged(
  request: GateRequest,
  candidate: ScoredPredictions,
  baseline: ScoredPredictions | undefined,
  loaded: LoadedBaseline | undefined,
) {
  const [against, path] =
    request.baselineModel !== undefined
      ? ['baseline model', request.baselineModel]
      : ['baseline predictions', request.baselinePredictions?.path];
  const bootstrap = baseline
    ? bootstrapChecks(candidate.rows, baseline.rows, request.bootstrap ?? {}, against)
    : [];
  const source = `${against} ${path}`;
  const replace = baseline && (loaded === undefined || 'missing' in loaded);
  return {
    report: candidate.report,
    metrics: flattenReport(candidate.report),
    bootstrap,
    loaded: replace ? { source, metrics: flattenReport(baseline.report) } : loaded,
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
