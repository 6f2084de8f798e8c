import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mlactions/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, writeReversedClassifier } from '../../validate/test/gate-fixtures.ts';
import { runCli } from './bundled-cli.ts';

let dir: string;

const mlactions = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { ...process.env, GITHUB_TOKEN: '' } });

const multiclass = [
  '--model',
  fixture('multiclass.onnx'),
  '--data',
  fixture('multiclass.csv'),
  '--label',
  'species',
  '--slice',
  'region',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-gate-'));
  await writeFile(join(dir, 'metrics.json'), JSON.stringify({ eval: { accuracy: 0.91, loss: 0.2 } }));
  await writeFile(join(dir, 'base.json'), JSON.stringify({ eval: { accuracy: 0.93, loss: 0.25 } }));
  writeReversedClassifier(join(dir, 'reversed.onnx'));
});

describe('mlactions gate on a metrics file', () => {
  it('exits 0 when every rule passes, printing one JSON document', () => {
    const run = mlactions(
      'gate',
      '--metrics',
      'metrics.json',
      '--rule',
      'eval.accuracy >= 0.9',
      '--format',
      'json',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      passed: true,
      baseline: null,
      metrics: { 'eval.accuracy': 0.91, 'eval.loss': 0.2 },
    });
    expect(json.rules).toEqual([
      expect.objectContaining({
        rule: 'eval.accuracy >= 0.9',
        status: 'passed',
        actual: 0.91,
        expected: 0.9,
      }),
    ]);
  });

  it('exits 1 naming the failed rule against the baseline, stdout still one JSON document', () => {
    const run = mlactions(
      'gate',
      '--metrics',
      'metrics.json',
      '--baseline',
      'base.json',
      '--rule',
      'eval.accuracy >= baseline - 0.01',
      '--rule',
      'eval.loss <= baseline',
      '--format',
      'json',
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).passed).toBe(false);
    expect(run.stderr).toBe(
      'mlactions: the gate failed:\n  eval.accuracy = 0.91 >= baseline - 0.01 = 0.92: failed\n',
    );
  });

  it('prints the markdown table by default', () => {
    const run = mlactions('gate', '--metrics', 'metrics.json', '--rule', 'eval.accuracy >= 0.95');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('| ❌ | eval.accuracy &gt;= 0.95 | 0.91 | 0.95 | failed |');
  });

  it('names a rule it cannot read, an unknown metric, and a missing input', () => {
    expect(mlactions('gate', '--metrics', 'metrics.json', '--rule', 'eval.accuracy >>= 1').stderr).toMatch(
      /^mlactions: .*eval\.accuracy >>= 1/,
    );
    const unknown = mlactions('gate', '--metrics', 'metrics.json', '--rule', 'accuracy >= 1');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(
      /unknown metric "accuracy"; the metrics are "eval\.accuracy", "eval\.loss"/,
    );
    expect(mlactions('gate', '--rule', 'accuracy >= 1').stderr).toBe(
      "mlactions: say what to gate: `metrics` (a metrics file), `model` (an .onnx file) with `data` and `label`, or `predictions` (any framework's predictions file) with `label`\n",
    );
  });
});

describe('mlactions gate on a model', () => {
  it('validates, then gates, slices included', () => {
    const run = mlactions(
      'gate',
      ...multiclass,
      '--rule',
      'slices.south.accuracy >= 0.7',
      '--format',
      'json',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).metrics['slices.south.accuracy']).toBe(0.75);
  });

  it('blocks a real regression against the baseline model, not a model that only matches it', () => {
    const sklearn = [
      '--data',
      fixture('sklearn.csv'),
      '--label',
      'grade',
      '--baseline-model',
      fixture('sklearn_tensor.onnx'),
    ];
    const same = mlactions('gate', '--model', fixture('sklearn_zipmap.onnx'), ...sklearn, '--format', 'json');
    expect(same.status, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout).bootstrap).toEqual([
      expect.objectContaining({ metric: 'accuracy', delta: 0, worse: false }),
    ]);

    const worse = mlactions(
      'gate',
      '--model',
      'reversed.onnx',
      ...sklearn,
      '--bootstrap-metric',
      'f1_macro',
      '--resamples',
      '200',
    );
    expect(worse.status).toBe(1);
    expect(worse.stderr).toMatch(
      /^mlactions: the gate failed:\n {2}f1_macro \S+ vs baseline model \S+: .*: worse \(failed\)\n$/,
    );
  });

  it('reads the baseline from a store alias, and treats an alias not yet set as a first run', async () => {
    const uri = `file://${join(dir, 'store')}`;
    const withStore = [
      '--store',
      uri,
      '--name',
      'species',
      '--rule',
      'accuracy >= baseline',
      '--format',
      'json',
    ];
    const first = mlactions('gate', ...multiclass, ...withStore);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      rules: [expect.objectContaining({ status: 'skipped' })],
      noBaseline: expect.stringMatching(/^alias production of species is not set/),
    });

    const validated = mlactions('validate', ...multiclass, '--format', 'json');
    const report = JSON.parse(validated.stdout);
    await writeFile(
      join(dir, 'validation.json'),
      JSON.stringify({ ...report, metrics: { ...report.metrics, accuracy: 0.85 } }),
    );
    const store = openStore(uri);
    await store.publish({
      name: 'species',
      version: '1.0.0',
      files: [fixture('multiclass.onnx')],
      metricsFile: join(dir, 'validation.json'),
    });
    await store.promote({ name: 'species', alias: 'production', version: '1.0.0' });

    const second = mlactions('gate', ...multiclass, ...withStore);
    expect(second.status).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({
      baseline: { source: expect.stringMatching(/^species 1\.0\.0 \(production\) in file:/) },
      rules: [expect.objectContaining({ status: 'failed', actual: 0.8, expected: 0.85 })],
    });
    const pinned = mlactions(
      'gate',
      ...multiclass,
      ...withStore,
      '--baseline-version',
      '1.0.0',
      '--missing-baseline',
      'error',
    );
    expect(pinned.status).toBe(1);
    expect(JSON.parse(pinned.stdout).rules[0].status).toBe('failed');
  });
});

describe('mlactions gate on predictions files', () => {
  const predictions = (name: string) =>
    join(import.meta.dirname, '../../validate/test/fixtures/predictions', name);

  it('joins the baseline predictions on --id and gates by rules and the paired bootstrap', () => {
    const run = mlactions(
      'gate',
      '--predictions',
      predictions('candidate.csv'),
      '--label',
      'species',
      '--baseline-predictions',
      predictions('baseline.csv'),
      '--id',
      'id',
      '--rule',
      'accuracy >= baseline',
      '--format',
      'json',
    );
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.bootstrap).toEqual([
      expect.objectContaining({ metric: 'accuracy', against: 'baseline predictions', worse: false }),
    ]);
    expect(json.baseline.source).toBe(`baseline predictions ${predictions('baseline.csv')}`);
  });

  it('refuses mismatched row sets and a missing --id, exit 1, one line', async () => {
    await writeFile(join(dir, 'short.csv'), 'id,proba_bird,proba_cat,proba_dog\nr000,0.2,0.3,0.5\n');
    const base = [
      'gate',
      '--predictions',
      predictions('candidate.csv'),
      '--label',
      'species',
      '--rule',
      'accuracy > 0',
    ];
    const mismatched = mlactions(...base, '--baseline-predictions', 'short.csv', '--id', 'id');
    expect(mismatched.status).toBe(1);
    expect(mismatched.stderr).toMatch(
      /^mlactions: the candidate's and the baseline's predictions are not for the same rows: 89 ids of \S+candidate\.csv are not in \S+short\.csv \("r001", .*\(84 more\)\); predict both on the same validation set\n$/,
    );
    const noId = mlactions(...base, '--baseline-predictions', 'short.csv');
    expect(noId.stderr).toBe(
      "mlactions: baseline predictions are joined with the candidate's on an id column: give `id` (a column both files hold)\n",
    );
  });
});
