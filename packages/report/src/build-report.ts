import { readFile } from 'node:fs/promises';
import {
  compareMetrics,
  loadMetrics,
  type Metric,
  type MetricsReport,
  mergeRuns,
  metricsAtRef,
  type ParamChange,
  parseMetricRules,
  type ReportJson,
  reportToJson,
} from '@mlactions/core';
import { type ReportImage, renderReport } from '@mlactions/render';
import { curveCharts, paramChanges } from './beside-metrics.ts';

/** GitHub refuses a job summary over 1 MiB; keep the summary's report well inside it. */
const SUMMARY_LIMIT = 1_000_000;

export interface ReportRequest {
  /** Baseline metrics: files or folders (several = several runs), `git:<ref>` for the head paths at a commit, or none. */
  base: readonly string[];
  /**
   * A baseline read elsewhere (a store version's recorded metrics), used instead of `base`;
   * `missing` says why there is none (an alias never set).
   */
  baseline?:
    | {
        metrics: Metric[];
        /** The parameters the version was published with: the base side of `headParams`. */
        params?: Record<string, unknown>;
        versions?: { version: string; metrics: Metric[] }[];
      }
    | { missing: string };
  /** The candidate's metrics: files or folders (several = several runs). */
  head: readonly string[];
  /** Several files on a side are different things matched by file name, not runs of one model. */
  pairByName?: boolean;
  /** A YAML file of per-metric rules (direction, tolerances). */
  rulesFile?: string;
  absolute?: number;
  relative?: number;
  alpha?: number;
  title?: string;
  /** The candidate's parameter file (YAML, JSON or TOML). */
  headParams?: string;
  /**
   * The baseline's parameter file, or `git:<ref>`; by default the head's file at the `git:` ref of
   * `base`, or the parameters a store baseline was published with.
   */
  baseParams?: string;
  /** Curve files (CSV/TSV/JSON/YAML points, or a dvc.yaml's `plots:`), drawn as charts. */
  plots?: readonly string[];
  /** The job's images, already where readers of the repository see them. */
  images?: readonly ReportImage[];
  /** Where the full report can be read, linked from a shortened comment. */
  fullReportUrl?: string;
  /** Folder that relative paths and `git:` refs are read from. */
  cwd: string;
}

export interface BuiltReport {
  report: MetricsReport;
  /** The metrics, and `params: [{name, base, head, changed}]` when parameter files were given. */
  json: ReportJson & { params?: ParamChange[] };
  /** For the pull request: within GitHub's comment limit, with room for a marker line. */
  comment: string;
  /** For the job summary: the whole report where it fits in GitHub's 1 MiB summary limit. */
  summary: string;
  /** Why there was no baseline, when there was none: a first run is a normal case. */
  noBaseline: string | undefined;
}

/** Resolves the baseline's paths: none, the given paths, or the head paths as committed at a ref. */
async function baselinePaths(request: ReportRequest): Promise<{ paths?: string[]; missing?: string }> {
  if (request.baseline && 'missing' in request.baseline) return { missing: request.baseline.missing };
  if (request.base.length === 0) return { missing: 'no baseline was given' };
  const [first] = request.base;
  if (request.base.length === 1 && first?.startsWith('git:')) {
    const ref = first.slice(4);
    const paths = await metricsAtRef(ref, request.head, request.cwd);
    return paths ? { paths } : { missing: `the commit ${ref} holds none of the metrics files` };
  }
  return { paths: [...request.base] };
}

/**
 * Reads both sides, compares them and renders the comment and the summary: what the report
 * action and `mlactions report` share.
 */
export async function buildReport(request: ReportRequest): Promise<BuiltReport> {
  const given = request.baseline && 'metrics' in request.baseline ? request.baseline.metrics : undefined;
  const baseline: { paths?: string[]; missing?: string } = given ? {} : await baselinePaths(request);
  const load = { pairByName: request.pairByName ?? false };
  const [base, head] = await Promise.all([
    given ? mergeRuns([given]) : baseline.paths ? loadMetrics(baseline.paths, load) : undefined,
    loadMetrics(request.head, load),
  ]);
  const params = request.headParams
    ? await paramChanges({
        cwd: request.cwd,
        head: request.headParams,
        ...(request.baseParams ? { base: request.baseParams } : {}),
        metricsBase: request.base,
        ...(given && request.baseline && 'params' in request.baseline && request.baseline.params
          ? { recorded: request.baseline.params }
          : {}),
      })
    : undefined;
  const curves = await curveCharts(request.plots ?? [], request.base, request.cwd);
  const rules = request.rulesFile
    ? parseMetricRules(await readFile(request.rulesFile, 'utf8'), request.rulesFile)
    : [];
  const report = compareMetrics(base, head, {
    rules,
    ...(request.absolute !== undefined ? { absolute: request.absolute } : {}),
    ...(request.relative !== undefined ? { relative: request.relative } : {}),
    ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
  });
  const options = {
    ...(request.title ? { title: request.title } : {}),
    ...(request.fullReportUrl ? { fullReportUrl: request.fullReportUrl } : {}),
    ...(request.baseline && 'versions' in request.baseline ? { versions: request.baseline.versions } : {}),
    ...(params ? { params } : {}),
    curves,
    images: request.images ?? [],
  };
  const rendered = renderReport(report, options);
  const summary =
    rendered.full.length <= SUMMARY_LIMIT
      ? rendered.full
      : renderReport(report, { ...options, maxChars: SUMMARY_LIMIT }).comment;
  return {
    report,
    json: { ...reportToJson(report), ...(params ? { params } : {}) },
    comment: rendered.comment,
    summary,
    noBaseline: baseline.missing,
  };
}
