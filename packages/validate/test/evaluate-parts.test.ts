import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { intField, messageField, stringField } from '../../example-model/src/protobuf.ts';
import { classKey, compareCodePoints, LabelCodes, resolveClasses } from '../src/evaluate/classes.ts';
import { flattenReport } from '../src/evaluate/flatten.ts';
import { GrowableArray } from '../src/evaluate/growable.ts';
import { dropMissingLabels } from '../src/evaluate/missing-labels.ts';
import { classifierKind, firstNonProbabilityRow, toProbabilities } from '../src/evaluate/outputs.ts';
import type { ValidationReport } from '../src/evaluate/report.ts';
import { addGraphOutputs, externalDataTensor, readGraphFacts } from '../src/model/onnx-proto.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

function codes(labels: string[]): LabelCodes {
  const seen = new LabelCodes();
  labels.forEach((label, i) => {
    seen.code(label, i + 1);
  });
  return seen;
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('class order', () => {
  it('integer labels within the columns name their column, even when some are absent', () => {
    const { classes, codeToClass } = resolveClasses(codes(['2', '0', '2.0']), 4);
    expect(classes).toEqual(['0', '1', '2', '3']);
    expect(Array.from(codeToClass)).toEqual([2, 0]);
  });

  it('other labels sort like scikit-learn: numbers numerically, text by code point', () => {
    expect(resolveClasses(codes(['10', '-1', '2.5']), 3).classes).toEqual(['-1', '2.5', '10']);
    expect(resolveClasses(codes(['b', 'B', 'a', 'é']), 4).classes).toEqual(['B', 'a', 'b', 'é']);
    expect(compareCodePoints('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
    expect(classKey('1.0')).toBe('1');
    expect(classKey('01')).toBe('1');
    expect(classKey('cat')).toBe('cat');
  });

  it('a declared order wins, and a label outside it is an error naming its first row', () => {
    const { classes, codeToClass } = resolveClasses(codes(['yes', 'no']), 2, {
      classes: ['yes', 'no'],
      source: 'option',
    });
    expect(classes).toEqual(['yes', 'no']);
    expect(Array.from(codeToClass)).toEqual([0, 1]);
    expect(
      messageOf(() =>
        resolveClasses(codes(['yes', 'maybe']), 2, { classes: ['no', 'yes'], source: 'option' }),
      ),
    ).toBe('label "maybe" (first at row 2) is not one of the classes given: "no", "yes"');
    expect(messageOf(() => resolveClasses(codes(['a']), 3, { classes: ['a', 'b'], source: 'model' }))).toBe(
      "the model's graph declares 2 classes but the model outputs 3 class columns",
    );
  });
});

describe('classifier outputs', () => {
  it('rows that sum to 1 are probabilities; others are logits', () => {
    expect(firstNonProbabilityRow([0.2, 0.8, 0.5, 0.5], 2, 2)).toBe(-1);
    expect(firstNonProbabilityRow([0.2, 0.8, 2, -1], 2, 2)).toBe(1);
    expect(firstNonProbabilityRow([0.2, 1.2], 2, 1)).toBe(1);
    expect(classifierKind('auto', [0.2, 0.8], 1, 2)).toBe('probabilities');
    expect(classifierKind('auto', [1.2, -0.8], 1, 2)).toBe('logits');
    expect(classifierKind('auto', [0.3], 1, 1)).toBe('probability');
    expect(classifierKind('auto', [-2], 1, 1)).toBe('logit');
    expect(classifierKind('logits', [0.2, 0.8], 1, 2)).toBe('logits');
  });

  it('softmax, sigmoid and a single probability become class probabilities', () => {
    const softmax = toProbabilities([1, 2, 3], 1, 3, 'logits');
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const sum = e[0]! + e[1]! + e[2]!;
    expect(Array.from(softmax)).toEqual(e.map((x) => Math.fround(x / sum)));
    expect(Array.from(toProbabilities([0], 1, 1, 'logit'))).toEqual([0.5, 0.5]);
    expect(Array.from(toProbabilities([0.25], 1, 1, 'probability'))).toEqual([0.75, 0.25]);
    expect(Array.from(toProbabilities([1000, 0], 1, 2, 'logits'))).toEqual([1, 0]);
  });
});

describe('per-row storage and missing labels', () => {
  it('grows in place across pages and returns exactly what was pushed', () => {
    const array = new GrowableArray(Float64Array);
    const expected: number[] = [];
    for (let i = 0; i < 30_000; i++) {
      array.push(i / 3);
      expected.push(i / 3);
    }
    const block = Float64Array.from({ length: 50_000 }, (_, i) => -i);
    array.pushAll(block);
    const out = array.toArray();
    expect(out.length).toBe(80_000);
    expect(Array.from(out.subarray(0, 30_000))).toEqual(expected);
    expect(Array.from(out.subarray(30_000))).toEqual(Array.from(block));
  });

  it('drops unlabeled rows with their features and slices, keeping row numbers', () => {
    const batch = {
      rows: 3,
      firstRow: 11,
      features: Float32Array.of(1, 2, 3, 4, 5, 6),
      labels: Int32Array.of(0, -1, 1),
      labelTexts: ['a', 'b'],
      slices: ['x', 'y', 'z'],
    };
    const {
      batch: kept,
      dropped,
      rowNumber,
    } = dropMissingLabels(batch, 'skip', { path: 'd.csv', label: 'y' });
    expect(dropped).toBe(1);
    expect(kept).toEqual({
      rows: 2,
      firstRow: 11,
      features: Float32Array.of(1, 2, 5, 6),
      labels: Int32Array.of(0, 1),
      labelTexts: ['a', 'b'],
      slices: ['x', 'z'],
    });
    expect([rowNumber(0), rowNumber(1)]).toEqual([11, 13]);
    const numeric = dropMissingLabels(
      { rows: 2, firstRow: 1, features: new Float32Array(2), labels: Float64Array.of(Number.NaN, 2) },
      'skip',
      { path: 'd.csv', label: 'y' },
    );
    expect(Array.from(numeric.batch.labels as Float64Array)).toEqual([2]);
    expect(messageOf(() => dropMissingLabels(batch, 'error', { path: 'd.csv', label: 'y' }))).toContain(
      'data file d.csv, row 12: the label column "y" is empty',
    );
  });
});

describe('ONNX graph facts', () => {
  it('finds a ZipMap, its probability tensor and the class labels, and adds graph outputs', () => {
    const bytes = readFileSync(join(fixtures, 'sklearn_zipmap.onnx'));
    expect(readGraphFacts(bytes)).toEqual({
      zipMaps: [{ input: 'probability_tensor', output: 'probabilities' }],
      classLabels: ['high', 'low', 'mid'],
    });
    expect(readGraphFacts(readFileSync(join(fixtures, 'sklearn_tensor.onnx'))).classLabels).toEqual([
      'high',
      'low',
      'mid',
    ]);
    expect(readGraphFacts(readFileSync(join(fixtures, 'multiclass.onnx')))).toEqual({
      zipMaps: [],
      classLabels: undefined,
    });
    expect(readGraphFacts(new TextEncoder().encode('not a model'))).toEqual({
      zipMaps: [],
      classLabels: undefined,
    });
    const extended = addGraphOutputs(bytes, ['probability_tensor']);
    expect(extended.length).toBeGreaterThan(bytes.length);
    expect(readGraphFacts(extended).zipMaps).toHaveLength(1);
  });
});

describe('ONNX external data', () => {
  const external = (name: string) => [stringField(8, name), intField(14, 1)];
  const inside = (name: string) => [stringField(8, name), intField(2, 1)];
  it('finds a tensor stored outside wherever a model keeps tensors, and none in a model without one', () => {
    const graph = (...fields: Uint8Array[]) => messageField(7, fields);
    // A sparse initializer's values, a Constant's `sparse_value`, a function body's Constant.
    expect(externalDataTensor(graph(messageField(15, [messageField(1, external('sparse'))])))).toBe('sparse');
    const sparseAttribute = messageField(5, [
      stringField(1, 'sparse_value'),
      messageField(22, [messageField(1, external('attr'))]),
    ]);
    expect(externalDataTensor(graph(messageField(1, [stringField(4, 'Constant'), sparseAttribute])))).toBe(
      'attr',
    );
    const functionNode = messageField(7, [
      stringField(4, 'Constant'),
      messageField(5, [messageField(5, external('fn'))]),
    ]);
    expect(externalDataTensor(messageField(25, [stringField(1, 'f'), functionNode]))).toBe('fn');
    expect(externalDataTensor(graph(messageField(5, inside('w'))))).toBeUndefined();
    expect(externalDataTensor(readFileSync(join(fixtures, 'sklearn_zipmap.onnx')))).toBeUndefined();
    expect(() => externalDataTensor(new TextEncoder().encode('not a model'))).toThrow();
  });
});

describe('flattened report', () => {
  it('has every scalar metric, the row counts and each slice’s metrics by name', () => {
    const report = {
      task: 'regression',
      rows: 10,
      missingLabels: 2,
      metrics: {
        rmse: 1,
        mae: 0.5,
        r2: 0.9,
        latency_p50_ms: 3,
        latency_p95_ms: 4,
        latency_row_p50_ms: 0.1,
        latency_row_p95_ms: 0.2,
      },
      features: ['x'],
      output: { name: 'y', kind: 'value' },
      batchSize: 8,
      slices: {
        column: 'shop',
        groups: [
          { value: 'north-east', rows: 6, metrics: { rmse: 2, mae: 1, r2: 0.5 } },
          { value: null, rows: 4, metrics: { rmse: 3, mae: 2, r2: 0.1 } },
        ],
      },
    } satisfies ValidationReport;
    const flat = flattenReport(report);
    expect(flat.get('rmse')).toBe(1);
    expect(flat.get('rows')).toBe(10);
    expect(flat.get('missing_labels')).toBe(2);
    expect(flat.get('latency_p95_ms')).toBe(4);
    expect(flat.get('slices.north-east.rmse')).toBe(2);
    expect(flat.get('slices.north-east.rows')).toBe(6);
    expect(flat.get('slices.(missing).r2')).toBe(0.1);
    expect(flattenReport(JSON.parse(JSON.stringify(report)))).toEqual(flat);
    expect(flattenReport({ metrics: { accuracy: 0.9, roc_auc: null, confusion_matrix: [[1]] } })).toEqual(
      new Map([['accuracy', 0.9]]),
    );
  });
});
