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
import { buildReport, renderHtmlPage, renderReport } from '@mlactions/render';
import { openStore } from '@mlactions/store';
import { evaluateRules, flattenReport, type RuleResult, validate } from '@mlactions/validate';
import { CLASSES, COLUMNS, DATA_SIZES, generateData, LABEL, toCsv } from './dataset.ts';
import { prepareDemoFolder } from './folder.ts';
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
  files: { markdown: string; html: string };
}

const short = (x: number) => String(Number(x.toFixed(3)));

/** Runs every step; a failed gate leaves production where it was and the result says so. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { dir, progress } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const shown = (path: string) => join(options.shownDir, relative(dir, path));
  await prepareDemoFolder(dir);

  // 1. Data
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

  const storeUri = `file://${join(dir, 'store')}`;
  const shownStore = `file://${shown(join(dir, 'store'))}`;
  const store = openStore(storeUri, { cwd: dir });
  const train = (config: ModelConfig) =>
    trainVersion(config, data, {
      runs: join(dir, 'runs'),
      validationCsv: files.validation,
      seed,
      producerVersion: options.producerVersion,
    });
  const trained = (version: TrainedVersion) =>
    `${version.config.version}: softmax regression on ${version.config.features.length} features, ` +
    `${version.config.epochs} epochs; validation accuracy ${short(version.final.accuracy!)}, ` +
    `f1_macro ${short(version.final.f1_macro!)} → ${shown(version.dir)}`;
  const publish = (version: TrainedVersion) =>
    store.publish({
      name: MODEL_NAME,
      version: version.config.version,
      files: [{ source: version.model, path: 'model.onnx' }],
      metricsFile: relative(dir, version.metricsDir),
      paramsFile: relative(dir, version.params),
      data: [relative(dir, files.train)],
    });

  // 2–3. The first version, published and put in production.
  const first = await train(MODEL_CONFIGS[0]);
  progress.step('train', trained(first));
  await publish(first);
  await store.promote({
    name: MODEL_NAME,
    alias: ALIAS,
    version: first.config.version,
    expectedVersion: null,
  });
  progress.step('publish', `${MODEL_NAME} ${first.config.version} to ${shownStore}, promoted to ${ALIAS}`);

  // 4–5. A better-configured candidate.
  const second = await train(MODEL_CONFIGS[1]);
  progress.step('train', trained(second));
  await publish(second);
  progress.step(
    'publish',
    `${MODEL_NAME} ${second.config.version} to ${shownStore}, a candidate (${ALIAS} still serves ${first.config.version})`,
  );

  // 6. Validate the candidate and production, as fetched from the store, on held-out rows.
  const evaluateFetched = async (
    ref: { version: string } | { alias: string },
    folder: string,
    metricsDir: string,
  ) => {
    const out = join(dir, 'fetched', folder);
    const fetched = await store.fetch({ name: MODEL_NAME, ...ref, out });
    const { report } = await validate({
      model: join(out, 'model.onnx'),
      data: files.holdout,
      label: LABEL,
      classes: CLASSES,
    });
    const metrics = qualityMetrics(report.metrics);
    await writeFile(join(metricsDir, 'holdout.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    return { version: fetched.manifest.version, report: { ...report, metrics }, metrics };
  };
  const candidate = await evaluateFetched(
    { version: second.config.version },
    second.config.version,
    second.metricsDir,
  );
  const baseline = await evaluateFetched({ alias: ALIAS }, ALIAS, first.metricsDir);
  progress.step(
    'validate',
    `${candidate.version} and ${ALIAS} (${baseline.version}), fetched from the store and checked, on ` +
      `${count(candidate.report.rows)} held-out rows: accuracy ${short(candidate.metrics.accuracy!)} against ` +
      `${short(baseline.metrics.accuracy!)}, f1_macro ${short(candidate.metrics.f1_macro!)} against ${short(baseline.metrics.f1_macro!)}`,
  );

  // 7. The metrics report, as the report action would comment it on a pull request.
  const title = 'Metrics report';
  const built = await buildReport({ base: [first.metricsDir], head: [second.metricsDir], cwd: dir, title });
  const counts = new Map<string, number>();
  for (const metric of built.json.metrics) counts.set(metric.status, (counts.get(metric.status) ?? 0) + 1);
  progress.step(
    'report',
    `${candidate.version} against ${baseline.version}: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')} ` +
      '(training history, validation and held-out metrics)',
    renderReport(built.report, { title, maxCharts: 0 }).full.trimEnd().split('\n'),
  );

  // 8. The gate.
  const results = evaluateRules(GATE_RULES, {
    metrics: flattenReport(candidate.report),
    baseline: flattenReport(baseline.report),
  });
  const passed = results.every((result) => result.passed);
  progress.step(
    'gate',
    `${candidate.version} ${passed ? 'passed' : 'FAILED'}: ${results.filter((r) => r.passed).length} of ${results.length} rules hold on the held-out rows`,
    results.map((result) => `${result.passed ? '✓' : '✗'} ${result.message}`),
  );

  // 9. Promotion: only a candidate that passed its gate.
  let promotion: DemoResult['promotion'] = null;
  if (passed) {
    await store.promote({
      name: MODEL_NAME,
      alias: ALIAS,
      version: candidate.version,
      expectedVersion: baseline.version,
    });
    promotion = { alias: ALIAS, from: baseline.version, to: candidate.version };
    progress.step('promote', `${ALIAS}: ${baseline.version} → ${candidate.version}`);
  } else {
    progress.step('promote', `skipped: the gate failed, so ${ALIAS} still serves ${baseline.version}`);
  }

  // 10. Drift of the live data against the training data.
  const { report: drift } = await checkDrift({
    reference: fileSource(files.train),
    current: fileSource(files.live),
    profile: { columns: { plan: { type: 'categorical' } } },
  });
  await writeFile(join(dir, 'drift.json'), `${JSON.stringify(drift, null, 2)}\n`);
  const drifted = driftedColumns(drift);
  progress.step(
    'drift',
    `live data against the training data: ${drift.drifted ? 'drift found' : 'no drift'} in ` +
      `${drifted.length} of ${drift.testedCount} columns${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}`,
  );

  // 11. The report, as markdown and as a page.
  const summary: DemoSummary = {
    model: MODEL_NAME,
    seed,
    store: shownStore,
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
    gate: results,
    alias: ALIAS,
    promoted: passed,
    drift,
  };
  const markdown = reportMarkdown(summary);
  const markdownFile = join(dir, 'report.md');
  const htmlFile = join(dir, 'report.html');
  await writeFile(markdownFile, markdown);
  await writeFile(
    htmlFile,
    renderHtmlPage({
      title: `mlactions demo: ${MODEL_NAME}`,
      markdown,
      mermaidScript: options.mermaidScript,
    }),
  );
  progress.step('write', `the report: ${shown(markdownFile)} and ${shown(htmlFile)}, with its charts`);

  return {
    dir: options.shownDir,
    store: shownStore,
    model: MODEL_NAME,
    seed,
    versions: [first, second].map((version) => ({
      version: version.config.version,
      features: version.config.features,
      epochs: version.config.epochs,
      validation: version.final,
    })),
    holdout: { rows: candidate.report.rows, candidate: candidate.metrics, baseline: baseline.metrics },
    report: built.json,
    gate: { passed, rules: results },
    promotion,
    drift: {
      drifted: drift.drifted,
      driftShare: drift.driftShare,
      driftedColumns: drifted,
      tested: drift.testedCount,
    },
    files: { markdown: shown(markdownFile), html: shown(htmlFile) },
  };
}
