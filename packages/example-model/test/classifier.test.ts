import { describe, expect, it } from 'vitest';
import { encodeRows, fitPlan, predictProbabilities } from '../src/classifier.ts';
import { createRandom } from '../src/random.ts';
import { type LabelledRows, type TrainOptions, trainSoftmax } from '../src/train.ts';

/** Two numeric columns and a code column; the class is decided by x + y and the code (a little noise). */
function blobs(rows: number, seed: number): LabelledRows {
  const random = createRandom(seed);
  const values = new Float64Array(rows * 3);
  const labels = new Uint16Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = random.normal() * 2 + 10;
    const y = random.normal() * 5;
    const code = random.choice([1, 1, 1]);
    values.set([x, y, code], r * 3);
    const score = x - 10 + y / 2.5 + (code === 2 ? 3 : 0) + random.normal() * 0.3;
    labels[r] = score < -1 ? 0 : score < 1.5 ? 1 : 2;
  }
  return { values, rows, labels };
}

const options: TrainOptions = {
  columns: ['x', 'y', 'code'],
  features: ['x', 'y', 'code'],
  categories: { code: [0, 1, 2] },
  classes: ['low', 'mid', 'high'],
  epochs: 30,
  learningRate: 0.2,
  batchSize: 32,
  l2: 1e-4,
  seed: 1,
};

describe('fitPlan and encodeRows', () => {
  it('standardises with the population standard deviation and one-hot encodes codes', () => {
    const rows = { values: Float64Array.of(1, 0, 3, 2, 5, 9), rows: 3 };
    const plan = fitPlan(rows, 2, [0], [{ column: 1, categories: [0, 2] }]);
    expect(plan.numeric[0]!.mean).toBe(3);
    expect(plan.numeric[0]!.scale).toBeCloseTo(1 / Math.sqrt(8 / 3), 12);
    const encoded = encodeRows(plan, rows, 2);
    // Rows: (1, code 0), (3, code 2), (5, code 9: unknown, all zeros).
    expect([...encoded].map((v) => Number(v.toFixed(6)))).toEqual([
      Number((-2 / Math.sqrt(8 / 3)).toFixed(6)),
      1,
      0,
      0,
      0,
      1,
      Number((2 / Math.sqrt(8 / 3)).toFixed(6)),
      0,
      0,
    ]);
  });

  it('maps a constant column to 0, not NaN', () => {
    const rows = { values: Float64Array.of(4, 4, 4), rows: 3 };
    const plan = fitPlan(rows, 1, [0], []);
    expect([...encodeRows(plan, rows, 1)]).toEqual([0, 0, 0]);
  });
});

describe('trainSoftmax', () => {
  const train = blobs(1500, 11);
  const validation = blobs(500, 12);

  it('learns a separable problem and records every epoch', () => {
    const { model, history } = trainSoftmax(train, validation, options);
    expect(history).toHaveLength(30);
    expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(history.at(-1)!.val_accuracy).toBeGreaterThan(0.9);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    expect(model.weights).toHaveLength(5 * 3);
    const probabilities = predictProbabilities(model, validation);
    for (let r = 0; r < validation.rows; r++) {
      const row = probabilities.subarray(r * 3, r * 3 + 3);
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    }
  });

  it('is reproducible from its seed, and the seed matters', () => {
    const a = trainSoftmax(train, validation, options);
    const b = trainSoftmax(train, validation, options);
    const c = trainSoftmax(train, validation, { ...options, seed: 2 });
    expect(b.model.weights).toEqual(a.model.weights);
    expect(b.history).toEqual(a.history);
    expect(c.model.weights).not.toEqual(a.model.weights);
  });

  it('does better with the code column than without it', () => {
    const without = trainSoftmax(train, validation, { ...options, features: ['x', 'y'] });
    const withCode = trainSoftmax(train, validation, options);
    expect(withCode.history.at(-1)!.val_loss).toBeLessThan(without.history.at(-1)!.val_loss);
  });

  it('refuses a feature that is not a column', () => {
    expect(() => trainSoftmax(train, validation, { ...options, features: ['x', 'z'] })).toThrow(
      'feature z is not one of the columns x, y, code',
    );
  });
});
