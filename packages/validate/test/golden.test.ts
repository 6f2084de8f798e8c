import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { type ValidateOptions, validate } from '../src/evaluate/evaluate.ts';
import type { ValidationReport } from '../src/evaluate/report.ts';

/** Made by scripts/reference/validate/make_fixtures.py with scikit-learn. */
const fixtures = join(import.meta.dirname, 'fixtures');
type Metrics = Record<string, number | number[][]>;
interface Reference {
  rows: number;
  missing_labels?: number;
  classes?: string[];
  metrics: Metrics;
  slices?: Record<string, { rows: number; metrics: Metrics }>;
}
const reference: Record<string, Reference> = JSON.parse(
  readFileSync(join(fixtures, 'reference.json'), 'utf8'),
);

/** Every reference metric matches: 1e-6 absolute, log loss 1e-5, confusion matrices exactly. */
function expectMetrics(actual: object, expected: Metrics): void {
  const got = actual as Record<string, unknown>;
  for (const [name, value] of Object.entries(expected)) {
    if (Array.isArray(value)) expect(got[name], name).toEqual(value);
    else
      expect(
        Math.abs((got[name] as number) - value),
        `${name}: ${got[name]} vs ${value}`,
      ).toBeLessThanOrEqual(name === 'log_loss' ? 1e-5 : 1e-6);
  }
}

function expectReport(report: ValidationReport, ref: Reference): void {
  expect(report.rows).toBe(ref.rows);
  expect(report.missingLabels).toBe(ref.missing_labels ?? 0);
  if (ref.classes) expect(report.task === 'classification' && report.classes).toEqual(ref.classes);
  expectMetrics(report.metrics, ref.metrics);
  if (ref.slices) {
    const groups = report.slices!.groups;
    expect(groups.map((group) => group.value)).toEqual(Object.keys(ref.slices));
    for (const group of groups) {
      const expected = ref.slices[group.value!]!;
      expect(group.rows).toBe(expected.rows);
      expectMetrics(group.metrics, expected.metrics);
    }
  }
}

async function run(options: Omit<ValidateOptions, 'model' | 'data'> & { model: string; data: string }) {
  return validate({ ...options, model: join(fixtures, options.model), data: join(fixtures, options.data) });
}

describe('metrics equal scikit-learn', () => {
  it('multi-class probabilities, string labels in sorted order, per slice', async () => {
    const { report } = await run({
      model: 'multiclass.onnx',
      data: 'multiclass.csv',
      label: 'species',
      slice: 'region',
      batchSize: 7,
    });
    expectReport(report, reference.multiclass!);
    expect(report.output).toEqual({ name: 'output', kind: 'probabilities' });
    expect(report.features).toEqual(['f0', 'f1', 'f2', 'f3']);
  });

  it('multi-class logits (softmax applied), integer labels, gzipped CSV with CRLF and quoted names', async () => {
    const { report } = await run({
      model: 'multiclass_logits.onnx',
      data: 'multiclass_logits.csv.gz',
      label: 'label',
    });
    expectReport(report, reference.multiclass_logits!);
    expect(report.output).toEqual({ name: 'logits', kind: 'logits' });
  });

  it('binary with one positive-class probability, skipping rows without a label', async () => {
    const { report } = await run({
      model: 'binary.onnx',
      data: 'binary.csv',
      label: 'outcome',
      task: 'classification',
      batchSize: 16,
    });
    expectReport(report, reference.binary!);
    expect(report.output.kind).toBe('probability');
    expect(Object.keys(report.metrics)).toContain('roc_auc');
  });

  it('regression from JSON lines, per slice', async () => {
    const { report } = await run({
      model: 'regression.onnx',
      data: 'regression.jsonl',
      label: 'price',
      slice: 'shop',
    });
    expectReport(report, reference.regression!);
    expect(report.task).toBe('regression');
  });

  it('sklearn-onnx classifiers: label + probability tensor, and ZipMap, with the graph’s class order', async () => {
    for (const model of ['sklearn_tensor.onnx', 'sklearn_zipmap.onnx']) {
      const { report } = await run({ model, data: 'sklearn.csv', label: 'grade' });
      expectReport(report, reference.sklearn!);
    }
  });

  it('one input per column, fed by name whatever the column order', async () => {
    const { report } = await run({ model: 'two_inputs.onnx', data: 'two_inputs.csv', label: 'y' });
    expectReport(report, reference.two_inputs!);
  });

  it('the same rows from Parquet, in several row groups', async () => {
    const lines = readFileSync(join(fixtures, 'multiclass.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const cells = lines.slice(1).map((line) => line.split(','));
    const path = join(await mkdtemp(join(tmpdir(), 'validate-golden-')), 'multiclass.parquet');
    parquetWriteFile({
      filename: path,
      rowGroupSize: 25,
      columnData: header.map((name, j) =>
        name === 'species' || name === 'region'
          ? { name, data: cells.map((row) => row[j]!), type: 'STRING' as const }
          : { name, data: Float64Array.from(cells, (row) => Number(row[j])), type: 'DOUBLE' as const },
      ),
    });
    const { report } = await validate({
      model: join(fixtures, 'multiclass.onnx'),
      data: path,
      label: 'species',
      slice: 'region',
      batchSize: 10,
    });
    expectReport(report, reference.multiclass!);
  });

  it('a slice column that is also a feature feeds its real values, from CSV as from JSON Lines', async () => {
    const lines = readFileSync(join(fixtures, 'multiclass.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const dir = await mkdtemp(join(tmpdir(), 'validate-slice-'));
    const jsonl = join(dir, 'multiclass.jsonl');
    writeFileSync(
      jsonl,
      lines
        .slice(1)
        .map((line) => {
          const cells = line.split(',');
          return JSON.stringify(Object.fromEntries(header.map((name, j) => [name, cells[j]])));
        })
        .join('\n'),
    );
    const options = {
      model: join(fixtures, 'multiclass.onnx'),
      label: 'species',
      features: ['f0', 'f1', 'f2', 'f3'],
    };
    const plain = await validate({ ...options, data: join(fixtures, 'multiclass.csv') });
    expectMetrics(plain.report.metrics, reference.multiclass!.metrics);
    for (const data of [join(fixtures, 'multiclass.csv'), jsonl]) {
      const { report } = await validate({ ...options, data, slice: 'f0' });
      expectMetrics(report.metrics, reference.multiclass!.metrics);
      expect(report.slices!.groups.length).toBe(reference.multiclass!.rows);
    }
  });
});
