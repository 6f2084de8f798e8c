/**
 * The demo: the whole life of one model on the embedded defaults, offline. Each step uses the same
 * package the matching verb and action use (store, validate, render, drift); only the training is the
 * demo's own, in plain Node.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ReportJson } from '@mlactions/core';
import { fileSource } from '@mlactions/data';
import { checkDrift } from '@mlactions/drift';
import { renderHtmlPage, renderReport } from '@mlactions/render';
import { buildReport } from '@mlactions/report';
import { type ArtifactStore, openStore } from '@mlactions/store';
import {
  classifierCurves,
  evaluateRules,
  flattenReport,
  type RuleResult,
  type ValidationReport,
  validate,
  writeCurveFiles,
} from '@mlactions/validate';
import { CLASSES, COLUMNS, DATA_SIZES, generateData, LABEL, toCsv } from './dataset.ts';
import { prepareDemoFolder } from './folder.ts';
import { type DemoImages, publishDemoImages } from './images-step.ts';
import { count, type DemoSummary, driftedColumns, reportMarkdown } from './report-markdown.ts';
import { type ModelConfig, qualityMetrics, type TrainedVersion, trainVersion } from './train-step.ts';

export const MODEL_NAME = 'renewal-outcome';
export const ALIAS = 'production';
export const DEFAULT_SEED = 7;

/** Version 1.0.0 sees four numeric columns briefly; 1.1.0 sees every column, the plan one-hot, for longer. */
export const MODEL_CONFIGS: readonly [ModelConfig, ModelConfig] = [
  {
    version: '1.0.0',
    features: ['tenure_months', 'monthly_spend', 'sessions_per_week', 'support_tickets'],
    epochs: 15,
    learningRate: 0.05,
  },
  { version: '1.1.0', features: COLUMNS, epochs: 40, learningRate: 0.1 },
];

/** The gate's rules, on the candidate's held-out metrics against production's. */
export const GATE_RULES = ['accuracy >= 0.8', 'f1_macro >= baseline - 0.02', 'log_loss <= baseline'];

/** The reports of what a step did: a short line, and further lines worth showing under it. */
export interface DemoProgress {
  step(name: string, summary: string, details?: readonly string[]): void;
}

export interface DemoOptions {
  /** The demo's folder (made empty first; see prepareDemoFolder). */
  dir: string;
  /** How the folder is named to the user (the path as given). */
  shownDir: string;
  seed?: number;
  /** The version recorded as the model files' producer. */
  producerVersion: string;
  /** mermaid's browser bundle, inlined into report.html. */
  mermaidScript: string;
  progress: DemoProgress;
}

export interface DemoResult {
  dir: string;
  store: string;
  model: string;
  seed: number;
  versions: {
    version: string;
    features: readonly string[];
    epochs: number;
    validation: Record<string, number>;
  }[];
  holdout: { rows: number; candidate: Record<string, number>; baseline: Record<string, number> };
  report: ReportJson;
  gate: { passed: boolean; rules: RuleResult[] };
  promotion: { alias: string; from: string; to: string } | null;
  drift: { drifted: boolean; driftShare: number; driftedColumns: string[]; tested: number };
  /** The candidate's confusion matrix on the assets branch of a local repository, or why not. */
  images:
    | { repository: string; branch: string; commit: string; files: string[]; links: string[] }
    | { skipped: string };
  files: { markdown: string; html: string };
}

const short = (x: number) => String(Number(x.toFixed(3)));

/** What every step shares: the folder, how paths are shown, the seed, the store and the data files. */
interface DemoContext {
  dir: string;
  seed: number;
  progress: DemoProgress;
  shown: (path: string) => string;
  store: ArtifactStore;
  shownStore: string;
  data: ReturnType<typeof generateData>;
  files: { train: string; validation: string; holdout: string; live: string };
}

/** A version fetched back from the store and scored on the held-out rows. */
interface FetchedEvaluation {
  version: string;
  /** The validation report with its quality metrics alone (latencies vary by machine). */
  report: Omit<ValidationReport, 'metrics'> & { metrics: Record<string, number> };
  metrics: Record<string, number>;
  /** The folder of its ROC, precision–recall and calibration curves. */
  curves: string;
  /** Rows: true class, columns: predicted (a classifier's). */
  confusionMatrix: number[][] | undefined;
}

/** 1. The data: training, validation, held-out and live rows, as CSV files. */
async function writeData(dir: string, seed: number, progress: DemoProgress, shown: (path: string) => string) {
  const data = generateData(seed);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const files = {
    train: join(dataDir, 'train.csv'),
    validation: join(dataDir, 'validation.csv'),
    holdout: join(dataDir, 'holdout.csv'),
    live: join(dataDir, 'live.csv'),
  };
  for (const name of ['train', 'validation', 'holdout', 'live'] as const) {
    await writeFile(files[name], toCsv(data[name]));
  }
  progress.step(
    'data',
    `generated ${count(DATA_SIZES.train)} training, ${count(DATA_SIZES.validation)} validation and ` +
      `${count(DATA_SIZES.holdout)} held-out subscriptions, and ${count(DATA_SIZES.live)} rows of live data (seed ${seed}) in ${shown(dataDir)}`,
  );
  return { data, files };
}

/** 2–5. Trains a version and publishes it with its metrics, parameters and data fingerprint. */
async function trainAndPublish(context: DemoContext, config: ModelConfig, producerVersion: string) {
  const { dir, files, shown } = context;
  const version = await trainVersion(config, context.data, {
    runs: join(dir, 'runs'),
    validationCsv: files.validation,
    seed: context.seed,
    producerVersion,
  });
  context.progress.step(
    'train',
    `${config.version}: softmax regression on ${config.features.length} features, ` +
      `${config.epochs} epochs; validation accuracy ${short(version.final.accuracy!)}, ` +
      `f1_macro ${short(version.final.f1_macro!)} → ${shown(version.dir)}`,
  );
  await context.store.publish({
    name: MODEL_NAME,
    version: config.version,
    files: [{ source: version.model, path: 'model.onnx' }],
    metricsFile: relative(dir, version.metricsDir),
    paramsFile: relative(dir, version.params),
    data: [relative(dir, files.train)],
  });
  return version;
}

/** 6. Fetches a version (or the alias's) back from the store and scores it on the held-out rows. */
async function evaluateFetched(
  context: DemoContext,
  ref: { version: string } | { alias: string },
  folder: string,
  metricsDir: string,
): Promise<FetchedEvaluation> {
  const out = join(context.dir, 'fetched', folder);
  const fetched = await context.store.fetch({ name: MODEL_NAME, ...ref, out });
  const { report, rows } = await validate({
    model: join(out, 'model.onnx'),
    data: context.files.holdout,
    label: LABEL,
    classes: CLASSES,
  });
  const metrics = qualityMetrics(report.metrics);
  await writeFile(join(metricsDir, 'holdout.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  // The curves the gate writes, beside (not among) the metrics.
  const curves = join(context.dir, 'curves', folder);
  if (rows.task === 'classification') await writeCurveFiles(classifierCurves(rows), curves);
  const confusionMatrix = 'confusion_matrix' in report.metrics ? report.metrics.confusion_matrix : undefined;
  return {
    version: fetched.manifest.version,
    report: { ...report, metrics },
    metrics,
    curves,
    confusionMatrix,
  };
}

/** 7. The candidate's confusion matrix as a picture, on the assets branch, as the report action pushes a job's images. */
async function imagesStep(context: DemoContext, candidate: FetchedEvaluation): Promise<DemoImages> {
  const images = await publishDemoImages(context.dir, candidate.curves, candidate.confusionMatrix ?? []);
  if ('skipped' in images) {
    context.progress.step('images', `skipped: ${images.skipped}`);
    return images;
  }
  context.progress.step(
    'images',
    `${candidate.version}'s confusion matrix on the held-out rows → branch ${images.branch} of ` +
      `${context.shown(images.repository)}, ${images.paths.join(', ')} (commit ${images.commit.slice(0, 7)}), ` +
      `read back to ${images.images.map((image) => context.shown(join(context.dir, image.url))).join(', ')}`,
  );
  return images;
}

/** 8. The metrics report, as the report action would comment it on a pull request. */
async function reportStep(
  context: DemoContext,
  first: TrainedVersion,
  second: TrainedVersion,
  versions: string[],
  curves: string,
  images: DemoImages,
) {
  const title = 'Metrics report';
  const built = await buildReport({
    base: [first.metricsDir],
    head: [second.metricsDir],
    headParams: second.params,
    baseParams: first.params,
    plots: [relative(context.dir, join(curves, 'roc.csv'))],
    images: 'images' in images ? images.images : [],
    cwd: context.dir,
    title,
  });
  const counts = new Map<string, number>();
  for (const metric of built.json.metrics) counts.set(metric.status, (counts.get(metric.status) ?? 0) + 1);
  context.progress.step(
    'report',
    `${versions[1]} against ${versions[0]}: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')} ` +
      '(training history, validation and held-out metrics)',
    renderReport(built.report, { title, maxCharts: 0 }).full.trimEnd().split('\n'),
  );
  return built;
}

/** 9–10. The gate on the held-out metrics, and the promotion of a candidate that passed it. */
async function gateAndPromote(
  context: DemoContext,
  candidate: FetchedEvaluation,
  baseline: FetchedEvaluation,
) {
  const results = evaluateRules(GATE_RULES, {
    metrics: flattenReport(candidate.report),
    baseline: flattenReport(baseline.report),
  });
  const passed = results.every((result) => result.passed);
  context.progress.step(
    'gate',
    `${candidate.version} ${passed ? 'passed' : 'FAILED'}: ${results.filter((r) => r.passed).length} of ${results.length} rules hold on the held-out rows`,
    results.map((result) => `${result.passed ? '✓' : '✗'} ${result.message}`),
  );
  if (!passed) {
    context.progress.step(
      'promote',
      `skipped: the gate failed, so ${ALIAS} still serves ${baseline.version}`,
    );
    return { results, passed, promotion: null };
  }
  await context.store.promote({
    name: MODEL_NAME,
    alias: ALIAS,
    version: candidate.version,
    expectedVersion: baseline.version,
  });
  context.progress.step('promote', `${ALIAS}: ${baseline.version} → ${candidate.version}`);
  return { results, passed, promotion: { alias: ALIAS, from: baseline.version, to: candidate.version } };
}

/** 11. Drift of the live data against the training data. */
async function driftStep(context: DemoContext) {
  const { report: drift } = await checkDrift({
    reference: fileSource(context.files.train),
    current: fileSource(context.files.live),
    profile: { columns: { plan: { type: 'categorical' } } },
  });
  await writeFile(join(context.dir, 'drift.json'), `${JSON.stringify(drift, null, 2)}\n`);
  const drifted = driftedColumns(drift);
  context.progress.step(
    'drift',
    `live data against the training data: ${drift.drifted ? 'drift found' : 'no drift'} in ` +
      `${drifted.length} of ${drift.testedCount} columns${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}`,
  );
  return { drift, drifted };
}

/** 12. The report, as markdown and as a self-contained page (its images drawn from the bytes read back). */
async function writeReport(
  context: DemoContext,
  summary: DemoSummary,
  mermaidScript: string,
  images: ReadonlyMap<string, Uint8Array>,
) {
  const markdown = reportMarkdown(summary);
  const markdownFile = join(context.dir, 'report.md');
  const htmlFile = join(context.dir, 'report.html');
  await writeFile(markdownFile, markdown);
  await writeFile(
    htmlFile,
    renderHtmlPage({ title: `mlactions demo: ${MODEL_NAME}`, markdown, mermaidScript, images }),
  );
  const files = { markdown: context.shown(markdownFile), html: context.shown(htmlFile) };
  context.progress.step('write', `the report: ${files.markdown} and ${files.html}, with its charts`);
  return files;
}

/** The folder emptied, the data written, the store opened: what every step shares. */
async function openDemo(options: DemoOptions): Promise<DemoContext> {
  const { dir, progress } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const shown = (path: string) => join(options.shownDir, relative(dir, path));
  await prepareDemoFolder(dir);
  const { data, files } = await writeData(dir, seed, progress, shown);
  return {
    dir,
    seed,
    progress,
    shown,
    store: openStore(`file://${join(dir, 'store')}`, { cwd: dir }),
    shownStore: `file://${shown(join(dir, 'store'))}`,
    data,
    files,
  };
}

/** Both versions trained and published; the first is promoted, the second is the candidate. */
async function publishBoth(context: DemoContext, producerVersion: string) {
  const { progress, shownStore } = context;
  const first = await trainAndPublish(context, MODEL_CONFIGS[0], producerVersion);
  await context.store.promote({
    name: MODEL_NAME,
    alias: ALIAS,
    version: first.config.version,
    expectedVersion: null,
  });
  progress.step('publish', `${MODEL_NAME} ${first.config.version} to ${shownStore}, promoted to ${ALIAS}`);
  const second = await trainAndPublish(context, MODEL_CONFIGS[1], producerVersion);
  progress.step(
    'publish',
    `${MODEL_NAME} ${second.config.version} to ${shownStore}, a candidate (${ALIAS} still serves ${first.config.version})`,
  );
  return { first, second };
}

/** The candidate and the alias's version, fetched back and scored on the held-out rows. */
async function validateBoth(context: DemoContext, first: TrainedVersion, second: TrainedVersion) {
  const candidate = await evaluateFetched(
    context,
    { version: second.config.version },
    second.config.version,
    second.metricsDir,
  );
  const baseline = await evaluateFetched(context, { alias: ALIAS }, ALIAS, first.metricsDir);
  context.progress.step(
    'validate',
    `${candidate.version} and ${ALIAS} (${baseline.version}), fetched from the store and checked, on ` +
      `${count(candidate.report.rows)} held-out rows: accuracy ${short(candidate.metrics.accuracy!)} against ` +
      `${short(baseline.metrics.accuracy!)}, f1_macro ${short(candidate.metrics.f1_macro!)} against ${short(baseline.metrics.f1_macro!)}`,
  );
  return { candidate, baseline };
}

/** What each step found, as the demo's result and its report's summary take it. */
interface DemoOutcome {
  context: DemoContext;
  first: TrainedVersion;
  second: TrainedVersion;
  candidate: FetchedEvaluation;
  baseline: FetchedEvaluation;
  built: Awaited<ReturnType<typeof reportStep>>;
  gate: Awaited<ReturnType<typeof gateAndPromote>>;
  drift: Awaited<ReturnType<typeof driftStep>>;
  images: DemoImages;
}

function summaryOf({
  context,
  first,
  second,
  candidate,
  baseline,
  built,
  gate,
  drift,
  images,
}: DemoOutcome): DemoSummary {
  return {
    model: MODEL_NAME,
    seed: context.seed,
    store: context.shownStore,
    data: DATA_SIZES,
    versions: [first, second].map((version) => ({
      version: version.config.version,
      features: version.config.features.length,
      epochs: version.config.epochs,
      accuracy: version.final.accuracy!,
    })),
    candidate: candidate.version,
    baseline: baseline.version,
    report: built.summary,
    gate: gate.results,
    alias: ALIAS,
    promoted: gate.passed,
    drift: drift.drift,
    images:
      'skipped' in images
        ? { skipped: images.skipped }
        : { repository: context.shown(images.repository), branch: images.branch, paths: images.paths },
  };
}

function resultOf(
  { context, first, second, candidate, baseline, built, gate, drift, images }: DemoOutcome,
  shownDir: string,
  files: DemoResult['files'],
): DemoResult {
  return {
    dir: shownDir,
    store: context.shownStore,
    model: MODEL_NAME,
    seed: context.seed,
    versions: [first, second].map((version) => ({
      version: version.config.version,
      features: version.config.features,
      epochs: version.config.epochs,
      validation: version.final,
    })),
    holdout: { rows: candidate.report.rows, candidate: candidate.metrics, baseline: baseline.metrics },
    report: built.json,
    gate: { passed: gate.passed, rules: gate.results },
    promotion: gate.promotion,
    drift: {
      drifted: drift.drift.drifted,
      driftShare: drift.drift.driftShare,
      driftedColumns: drift.drifted,
      tested: drift.drift.testedCount,
    },
    images:
      'skipped' in images
        ? { skipped: images.skipped }
        : {
            repository: context.shown(images.repository),
            branch: images.branch,
            commit: images.commit,
            files: images.paths,
            links: images.images.map((image) => image.url),
          },
    files,
  };
}

/** Runs every step; a failed gate leaves production where it was and the result says so. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const context = await openDemo(options);
  const { first, second } = await publishBoth(context, options.producerVersion);
  const { candidate, baseline } = await validateBoth(context, first, second);
  const images = await imagesStep(context, candidate);
  const built = await reportStep(
    context,
    first,
    second,
    [baseline.version, candidate.version],
    candidate.curves,
    images,
  );
  const gate = await gateAndPromote(context, candidate, baseline);
  const drift = await driftStep(context);
  const outcome: DemoOutcome = { context, first, second, candidate, baseline, built, gate, drift, images };
  const files = await writeReport(
    context,
    summaryOf(outcome),
    options.mermaidScript,
    'bytes' in images ? images.bytes : new Map(),
  );
  return resultOf(outcome, options.shownDir, files);
}
