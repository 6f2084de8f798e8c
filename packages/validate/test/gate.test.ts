import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { openStore } from '@mlactions/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GateRequest, gateJson, runGate } from '../src/gate/gate.ts';
import { manifestMetrics, readGateMetrics } from '../src/gate/metrics-source.ts';
import { renderGate, renderValidation } from '../src/gate/render.ts';
import { fixture, writeReversedClassifier } from './gate-fixtures.ts';

const multiclass = {
  model: fixture('multiclass.onnx'),
  data: fixture('multiclass.csv'),
  label: 'species',
  slice: 'region',
} as const;

let dir: string;
let reversed: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-'));
  reversed = writeReversedClassifier(join(dir, 'reversed.onnx'));
});

async function errorOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const gate = (request: Partial<GateRequest>) =>
  runGate({ rules: [], candidate: { kind: 'model', validate: multiclass }, ...request });

describe('runGate on a model validated now', () => {
  it('passes and fails rules on the golden metrics, slices included', async () => {
    const outcome = await gate({
      rules: ['accuracy >= 0.75', 'f1_macro >= 0.9', 'slices.south.accuracy >= 0.7', 'rows == 60'],
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.rules.map((r) => r.status)).toEqual(['passed', 'failed', 'passed', 'passed']);
    expect(outcome.rules[1]!.message).toBe('f1_macro = 0.801253 >= 0.9: failed');
    expect(outcome.metrics.get('accuracy')).toBeCloseTo(0.8, 12);
    expect(outcome.metrics.get('slices.north.accuracy')).toBeCloseTo(0.825, 12);
    expect(outcome.report?.task).toBe('classification');
    expect(outcome.noBaseline).toBeUndefined();
  });

  it('skips rules that need a baseline when there is none, or stops when asked to', async () => {
    const skipped = await gate({ rules: ['accuracy >= baseline - 0.01', 'accuracy >= 0.5'] });
    expect(skipped.passed).toBe(true);
    expect(skipped.rules.map((r) => r.status)).toEqual(['skipped', 'passed']);
    expect(skipped.noBaseline).toBe('no baseline was given');
    expect(
      await errorOf(() => gate({ rules: ['accuracy >= baseline - 0.01'], missingBaseline: 'error' })),
    ).toMatch(
      /^no baseline was given, and the rule "accuracy >= baseline - 0.01" compares with the baseline/,
    );
  });

  it('parses every rule before the model runs', async () => {
    const message = await errorOf(() =>
      gate({
        rules: ['accuracy >= 0.5', 'accuracy >=> 0.5'],
        candidate: { kind: 'model', validate: { ...multiclass, model: join(dir, 'absent.onnx') } },
      }),
    );
    expect(message).toMatch(/accuracy >=> 0\.5/);
  });

  it('names the mismatch between model and data', async () => {
    const message = await errorOf(() =>
      gate({
        rules: ['accuracy >= 0.5'],
        candidate: { kind: 'model', validate: { ...multiclass, model: fixture('binary.onnx') } },
      }),
    );
    expect(message).toMatch(/does not fit data file .*multiclass\.csv: input "input" takes 3 features/);
  });
});

describe('baselines', () => {
  it('reads a validate report kept as JSON under the candidate’s names', async () => {
    const { report } = await gate({ rules: ['rows > 0'] });
    const kept = join(dir, 'baseline-report.json');
    await writeFile(kept, JSON.stringify(report));
    const metrics = await readGateMetrics(kept);
    expect(metrics.get('accuracy')).toBeCloseTo(0.8, 12);
    expect(metrics.get('slices.south.rows')).toBe(20);
    expect(metrics.has('metrics.accuracy')).toBe(false);

    const outcome = await gate({
      rules: ['accuracy >= baseline', 'slices.north.f1_macro >= baseline - 0.001'],
      baseline: { kind: 'file', path: kept },
    });
    expect(outcome.passed).toBe(true);
    expect(outcome.baseline?.source).toBe(kept);
  });

  it('reads plain metrics files by their dotted names, numbers only', async () => {
    const plain = join(dir, 'plain.yaml');
    await writeFile(plain, 'eval:\n  accuracy: 0.9\n  note: text\nrmse: 1.5\n');
    expect([...(await readGateMetrics(plain))]).toEqual([
      ['eval.accuracy', 0.9],
      ['rmse', 1.5],
    ]);
    expect(await errorOf(() => readGateMetrics(join(dir, 'nope.json')))).toMatch(/nope\.json: no such file/);
  });

  it('reads a store version’s metrics, and treats an alias not set yet as a first run', async () => {
    const store = openStore(`file://${join(dir, 'store')}`);
    const { report } = await gate({ rules: ['rows > 0'] });
    const reportFile = join(dir, 'validation.json');
    await writeFile(
      reportFile,
      JSON.stringify({ ...report, metrics: { ...report!.metrics, accuracy: 0.9 } }),
    );
    const source = { kind: 'store' as const, store, name: 'species', alias: 'production' };

    const first = await gate({ rules: ['accuracy >= baseline'], baseline: source });
    expect(first.rules[0]!.status).toBe('skipped');
    expect(first.noBaseline).toMatch(/^alias production of species is not set in file:/);

    await store.publish({
      name: 'species',
      version: '1.0.0',
      files: [fixture('multiclass.onnx')],
      metricsFile: reportFile,
    });
    await store.promote({ name: 'species', alias: 'production', version: '1.0.0' });
    const manifest = await store.show('species', '1.0.0');
    const recorded = manifestMetrics(manifest);
    expect(recorded.get('accuracy')).toBe(0.9);
    expect(recorded.get('slices.north.accuracy')).toBeCloseTo(0.825, 12);
    expect(recorded.get('missing_labels')).toBe(0);

    const second = await gate({
      rules: ['accuracy >= baseline', 'slices.north.accuracy >= baseline'],
      baseline: source,
    });
    expect(second.rules.map((r) => r.status)).toEqual(['failed', 'passed']);
    expect(second.baseline?.source).toMatch(/^species 1\.0\.0 \(production\) in file:/);
  });
});

describe('the paired bootstrap against a baseline model', () => {
  const sklearn = { model: fixture('sklearn_tensor.onnx'), data: fixture('sklearn.csv'), label: 'grade' };

  it('does not block on a model no worse than the baseline', async () => {
    const outcome = await runGate({
      rules: ['accuracy >= baseline - 0.05'],
      candidate: { kind: 'model', validate: sklearn },
      baselineModel: fixture('sklearn_zipmap.onnx'),
    });
    expect(outcome.passed).toBe(true);
    expect(outcome.bootstrap).toHaveLength(1);
    expect(outcome.bootstrap[0]).toMatchObject({ metric: 'accuracy', delta: 0, worse: false, passed: true });
    expect(outcome.baseline?.source).toBe(`baseline model ${fixture('sklearn_zipmap.onnx')}`);
  });

  it('fails a real regression on the same rows, naming the metric', async () => {
    const outcome = await runGate({
      rules: [],
      candidate: { kind: 'model', validate: { ...sklearn, model: reversed } },
      baselineModel: fixture('sklearn_tensor.onnx'),
      bootstrap: { metrics: ['accuracy', 'log_loss'], resamples: 200 },
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.bootstrap.map((b) => [b.metric, b.worse])).toEqual([
      ['accuracy', true],
      ['log_loss', true],
    ]);
    expect(outcome.bootstrap[0]!.message).toMatch(
      /^accuracy \S+ vs baseline model \S+: Δ -\S+, 95% interval \[-\S+, -\S+\]: worse \(failed\)$/,
    );
  });

  it('needs a model, not a metrics file, to compare', async () => {
    expect(
      await errorOf(() =>
        runGate({
          rules: ['accuracy > 0'],
          candidate: { kind: 'metrics', path: fixture('reference.json') },
          baselineModel: fixture('sklearn_tensor.onnx'),
        }),
      ),
    ).toMatch(/baseline model is compared with the candidate model on the same data/);
  });
});

describe('renderGate', () => {
  it('escapes rule text and metric names from the user', async () => {
    const hostile = '<img src=x onerror=alert(1)> @everyone | x';
    const file = join(dir, 'hostile.json');
    await writeFile(file, JSON.stringify({ [hostile]: 0.5, accuracy: 0.9 }));
    const outcome = await runGate({
      rules: [`\`${hostile}\` >= 0.9`, 'accuracy >= 0.5'],
      candidate: { kind: 'metrics', path: file },
    });
    expect(outcome.passed).toBe(false);
    const { markdown, headline } = renderGate(outcome);
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toMatch(/(^|[^\u200d])@everyone/);
    // Each table keeps its shape: the hostile row has as many cells as its table's header.
    const lines = markdown.split('\n');
    const pipes = (line: string) => line.split('|').length;
    for (const header of ['| | Rule |', '| Metric | Candidate |']) {
      const at = lines.findIndex((line) => line.startsWith(header));
      const row = lines.slice(at).find((line) => line.includes('onerror'));
      expect(row && pipes(row)).toBe(pipes(lines[at]!));
    }
    expect(headline).toBe(`1 of 2 checks failed: \`${hostile}\` >= 0.9`);
    expect(JSON.parse(JSON.stringify(gateJson(outcome))).metrics[hostile]).toBe(0.5);
  });

  it('renders a validation report with its confusion matrix and slices', async () => {
    const { report } = await gate({ rules: ['rows > 0'] });
    const text = renderValidation(report!);
    expect(text).toMatch(/^## Validation: classification, 60 rows/);
    expect(text).toContain('| bird | 15 | 0 | 6 |');
    expect(text).toMatch(/\| north \| 40 \| 0\.825 \|/);
  });
});

describe('the gate on predictions files (any framework)', () => {
  const predictions = (name: string) => join(import.meta.dirname, 'fixtures', 'predictions', name);
  const candidate = { predictions: predictions('candidate.csv'), label: 'species', slice: 'region' };

  it('joins the baseline on the id and passes a candidate no worse, by rules, slices and the paired bootstrap', async () => {
    const outcome = await runGate({
      rules: ['accuracy >= baseline', 'slices.north.f1_macro >= 0.5'],
      candidate: { kind: 'predictions', predictions: candidate },
      baselinePredictions: { path: predictions('baseline.csv'), id: 'id' },
      bootstrap: { metrics: ['accuracy', 'log_loss'], resamples: 200 },
    });
    expect(outcome.rules.map((r) => r.status)).toEqual(['passed', 'passed']);
    expect(outcome.bootstrap.map((b) => [b.metric, b.worse, b.better])).toEqual([
      ['accuracy', false, true],
      ['log_loss', false, true],
    ]);
    expect(outcome.passed).toBe(true);
    expect(outcome.baseline?.source).toBe(`baseline predictions ${predictions('baseline.csv')}`);
  });

  it('fails a candidate worse on the same rows, whatever the files’ row order', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, y: i % 2 ? 'yes' : 'no' }));
    const flip = (y: string) => (y === 'yes' ? 'no' : 'yes');
    const worse = join(dir, 'worse.csv');
    const good = join(dir, 'good.csv');
    await writeFile(
      worse,
      `id,y,prediction\n${rows.map((r, i) => `${r.id},${r.y},${i % 4 ? flip(r.y) : r.y}`).join('\n')}\n`,
    );
    await writeFile(
      good,
      `prediction,id\n${[...rows]
        .reverse()
        .map((r) => `${r.y},${r.id}`)
        .join('\n')}\n`,
    );
    const outcome = await runGate({
      rules: [],
      candidate: { kind: 'predictions', predictions: { predictions: worse, label: 'y' } },
      baselinePredictions: { path: good, id: 'id' },
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.bootstrap[0]!.message).toMatch(
      /^accuracy 0\.25 vs baseline predictions 1: .*worse \(failed\)$/,
    );
    expect(renderGate(outcome).markdown).toContain('Paired bootstrap against the baseline predictions');
  });

  it('gates ranking metrics by rules; the bootstrap is for classification and regression', async () => {
    const ranking = {
      predictions: predictions('ranking.csv'),
      label: 'relevance',
      task: 'ranking',
      query: 'query',
      prediction: 'score',
      k: [3],
    } as const;
    const outcome = await runGate({
      rules: ['ndcg_at_3 >= 0.6', 'mrr >= 0.9'],
      candidate: { kind: 'predictions', predictions: ranking },
    });
    expect(outcome.rules.map((r) => r.status)).toEqual(['passed', 'failed']);
    expect(
      await errorOf(() =>
        runGate({
          rules: [],
          candidate: {
            kind: 'predictions',
            predictions: { predictions: predictions('multilabel.csv'), label: 'tags', task: 'multilabel' },
          },
          baselinePredictions: { path: predictions('multilabel.csv'), id: 'id' },
        }),
      ),
    ).toMatch(
      /^the paired bootstrap compares classification or regression predictions; gate multilabel and ranking/,
    );
  });
});
